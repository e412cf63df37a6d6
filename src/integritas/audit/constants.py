"""Audit vocabulary: results, origins and the names of actions (R-BIO-1)."""

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGION_CHAIN = "region"


class Result(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    DENIED = "denied", _("Geweigerd")
    FAILURE = "failure", _("Mislukt")


class Origin(models.TextChoices):
    WEB = "web", _("Webapplicatie")
    API = "api", _("API")
    CLI = "cli", _("Opdrachtregel")
    SYSTEM = "system", _("Systeem")


class DeniedRoute(StrEnum):
    """The kinds of route whose refusals are recorded as `access.denied.<kind>`
    (audit/denials.py): the Meldpunt's cases, their attachments, the reporter's identity,
    and the four-eyes grants (role assignments, substitutes)."""

    CASE = "case"
    ATTACHMENT = "attachment"
    IDENTITY = "identity"
    GRANT = "grant"


# The Dutch name of each action code the apps record, for the audit-log page. The code is
# what is stored, hashed and exported, and the page shows it next to the name; a code
# without a name here is shown as its code alone. tests/audit/test_action_labels.py holds
# this table to the codes the apps write.
ACTION_LABELS: dict[str, Promise] = {
    # logging in (accounts)
    "login.password": _("Ingelogd met wachtwoord"),
    "login.oidc": _("Ingelogd via de inlogdienst van de organisatie"),
    "login.failed": _("Inloggen mislukt"),
    "logout": _("Uitgelogd"),
    "mfa.added": _("Tweede factor toegevoegd"),
    "mfa.removed": _("Tweede factor verwijderd"),
    # users and four-eyes grants (accounts)
    "user.create": _("Gebruiker aangemaakt"),
    "user.activate": _("Gebruiker geactiveerd"),
    "user.deactivate": _("Gebruiker gedeactiveerd"),
    "role.request": _("Rol aangevraagd"),
    "role.grant": _("Rol toegekend"),
    "role.approve": _("Roltoewijzing goedgekeurd"),
    "role.reject": _("Roltoewijzing afgewezen"),
    "role.revoke": _("Roltoewijzing ingetrokken"),
    "substitute.request": _("Vervanger aangewezen, wacht op goedkeuring"),
    "substitute.grant": _("Vervanger aangewezen"),
    "substitute.approve": _("Aanwijzing vervanger goedgekeurd"),
    "substitute.reject": _("Aanwijzing vervanger afgewezen"),
    "substitute.revoke": _("Aanwijzing vervanger ingetrokken"),
    "audit.export": _("Auditlog geëxporteerd"),
    # refused access (audit/denials.py): the route's kind, never what was asked for
    "access.denied.case": _("Toegang tot een melding geweigerd"),
    "access.denied.attachment": _("Toegang tot een bijlage geweigerd"),
    "access.denied.identity": _("Toegang tot de gegevens van de melder geweigerd"),
    "access.denied.grant": _("Toegang tot een rol- of vervangersaanwijzing geweigerd"),
    "access.denied.burst": _(
        "Veel geweigerde verzoeken: verdere weigeringen in dit kwartier niet apart vastgelegd"
    ),
    # organisations
    "organisation.settings": _("Instellingen organisatie gewijzigd"),
    "hr.import": _("HR-bestand ingelezen"),
    "employee.legal_hold_set": _("Bewaarplicht op personeelsgegevens aangezet"),
    "employee.legal_hold_changed": _("Reden van de bewaarplicht op personeelsgegevens gewijzigd"),
    "employee.legal_hold_lifted": _("Bewaarplicht op personeelsgegevens opgeheven"),
    # counsel
    "counsel.listing_create": _("Vertrouwenspersoon vermeld"),
    "counsel.listing_update": _("Vermelding vertrouwenspersoon gewijzigd"),
    "counsel.listing_delete": _("Vermelding vertrouwenspersoon verwijderd"),
    # the Meldpunt (cases): intake, reading, the reporter's mailbox
    "case.submit": _("Melding ontvangen"),
    "case.set_aside": _("Vastgehouden melding terzijde gelegd"),
    "case.hold_released": _("Vastgehouden melding vrijgegeven"),
    "case.read": _("Melding ingezien"),
    "case.reporter.read": _("Gegevens van de melder ingezien"),
    "case.mailbox_read": _("Postvak melder geopend"),
    "case.reporter_reply": _("Bericht van de melder"),
    "case.minutes_approved": _("Verslag goedgekeurd door de melder"),
    "case.message": _("Bericht aan de melder"),
    "case.feedback": _("Terugkoppeling aan de melder"),
    "case.note": _("Interne notitie"),
    "case.attachment_download": _("Bijlage gedownload"),
    # the Meldpunt: the steps of the workflow (cases/workflow.py)
    "case.acknowledge": _("Ontvangst bevestigd"),
    "case.request_approval": _("Goedkeuring voor onderzoek gevraagd"),
    "case.approve_investigation": _("Onderzoek goedgekeurd"),
    "case.reject_investigation": _("Onderzoek afgewezen"),
    "case.refer": _("Doorverwezen"),
    "case.close_without_investigation": _("Afgesloten zonder onderzoek"),
    "case.report_to_secretary": _("Gerapporteerd aan de gemeentesecretaris"),
    "case.decide": _("Besluit genomen"),
    "case.close": _("Afgesloten"),
    # the Meldpunt: handling and investigation
    "case.assess": _("Beoordeling vastgelegd"),
    "case.assign_investigator": _("Onderzoeker toegewezen"),
    "case.involved_linked": _("Betrokken medewerker gekoppeld"),
    "case.involved_unlinked": _("Koppeling betrokken medewerker ongedaan gemaakt"),
    "case.decision": _("Besluit vastgelegd"),
    "case.aangifte": _("Besluit over aangifte vastgelegd"),
    "case.referral": _("Doorverwijzing vastgelegd"),
    "case.referral_outcome": _("Advies of besluit bij doorverwijzing vastgelegd"),
    "case.protection_log": _("Maatregel in het beschermingslog vastgelegd"),
    "case.identity_reveal": _("Identiteit van de melder ingezien"),
    "case.identity_disclose": _("Identiteit van de melder gedeeld"),
    "case.investigation_plan": _("Onderzoeksplan vastgelegd"),
    "case.investigation_interview": _("Verslag van gehoor vastgelegd"),
    "case.investigation_report": _("Onderzoeksrapport vastgelegd"),
    "case.evidence": _("Bewijsstuk vastgelegd"),
    "case.subject_informed": _("Betrokkene geïnformeerd"),
    "case.subject_information_deferred": _("Informeren van de betrokkene uitgesteld"),
    # the Meldpunt: deadlines, retention, keys and scans
    "case.reminder_acknowledgement": _("Herinnering ontvangstbevestiging verstuurd"),
    "case.reminder_feedback": _("Herinnering terugkoppeling verstuurd"),
    "case.legal_hold_set": _("Bewaarplicht aangezet"),
    "case.legal_hold_lifted": _("Bewaarplicht opgeheven"),
    "case.purge": _("Melding vernietigd na de bewaartermijn"),
    "case.master_key_rotated": _("Hoofdsleutel vernieuwd"),
    "attachment.scan_clean": _("Bijlage gescand: schoon"),
    "attachment.scan_infected": _("Bijlage gescand: besmet"),
    "attachment.orphans_purge": _("Losse bijlagebestanden verwijderd"),
    # the demo
    "demo.seed": _("Demogegevens geladen"),
    "demo.seed_scale": _("Schaalgegevens geladen"),
    # registers, duties, documents, counsellors, risks, awareness and the HR API
    "api.hr.duties_read": _("HR-API: verplichtingen gelezen"),
    "api.hr.employees_read": _("HR-API: medewerkers gelezen"),
    "api.hr.employees_upsert": _("HR-API: medewerkers bijgewerkt"),
    "api.hr.functions_read": _("HR-API: functies gelezen"),
    "api.hr.org_units_read": _("HR-API: afdelingen gelezen"),
    "api.hr.unauthenticated": _("HR-API: aanroep zonder geldige sleutel"),
    "api_token.approve": _("API-sleutel goedgekeurd"),
    "api_token.grant": _("API-sleutel uitgegeven"),
    "api_token.reject": _("API-sleutel afgewezen"),
    "api_token.request": _("API-sleutel aangevraagd, wacht op goedkeuring"),
    "api_token.revoke": _("API-sleutel ingetrokken"),
    "awareness_activity.complete": _("Bijeenkomst of training afgerond"),
    "awareness_activity.create": _("Bijeenkomst of training vastgelegd"),
    "awareness_attendance.add": _("Aanwezigen toegevoegd"),
    "awareness_attendance.remove": _("Aanwezige verwijderd"),
    "awareness_dilemma.discussed": _("Dilemma besproken in teamoverleg"),
    "counsel.appointment_create": _("Benoeming vertrouwenspersoon vastgelegd"),
    "counsel.appointment_update": _("Benoeming vertrouwenspersoon gewijzigd"),
    "counsel.attendance_update": _("Aanwezigheid bijeenkomst opgeslagen"),
    "counsel.entries_purged": _("Verlopen gesprekken verwijderd (aantal)"),
    "counsel.entry_create": _("Gesprek vastgelegd (eigen logboek)"),
    "counsel.entry_delete": _("Gesprek verwijderd (eigen logboek)"),
    "counsel.entry_update": _("Gesprek gewijzigd (eigen logboek)"),
    "counsel.master_key_rotated": _("Hoofdsleutel: logboeken opnieuw verpakt"),
    "counsel.session_create": _("Bijeenkomst vertrouwenspersonen vastgelegd"),
    "counsel.session_update": _("Bijeenkomst vertrouwenspersonen gewijzigd"),
    "function.integrity_profile": _("Integriteitsprofiel van een functie gewijzigd"),
    "obligations.code_of_conduct_fulfilled": _("Verplichting nagekomen: gedragscode"),
    "obligations.declaration_acknowledged": _("Integriteitsverklaring bevestigd in de applicatie"),
    "obligations.declaration_fulfilled": _("Verplichting nagekomen: integriteitsverklaring"),
    "obligations.declaration_form_printed": _("Formulier integriteitsverklaring afgedrukt"),
    "obligations.duties_closed": _("Open verplichtingen gesloten (uit dienst)"),
    "obligations.duties_exported": _("Verplichtingen geëxporteerd"),
    "obligations.duties_planned": _("Verplichtingen aangemaakt"),
    "obligations.duties_purged": _("Verlopen verplichtingen verwijderd (aantal)"),
    "obligations.duty_closed": _("Verplichting laten vervallen"),
    "obligations.duty_completed": _("Verplichting vastgelegd als nagekomen"),
    "obligations.duty_created": _("Verplichting toegevoegd"),
    "obligations.handbook_fulfilled": _("Verplichting nagekomen: informatie personeelshandboek"),
    "obligations.integrity_interview_fulfilled": _("Verplichting nagekomen: integriteit besproken"),
    "obligations.interview_recorded": _("Integriteit besproken in de HRM-cyclus vastgelegd"),
    "obligations.master_key_rotated": _("Hoofdsleutel: ondertekende formulieren opnieuw verpakt"),
    "obligations.oath_form_printed": _("Formulier eed of belofte afgedrukt"),
    "obligations.oath_fulfilled": _("Verplichting nagekomen: eed of belofte"),
    "obligations.oath_recorded": _("Eed of belofte vastgelegd"),
    "obligations.reminder_sent": _("Herinnering verplichtingen verstuurd"),
    "risks.review_reminder_sent": _("Herinnering evaluatie maatregelen verstuurd"),
    "obligations.security_training_fulfilled": _(
        "Verplichting nagekomen: training informatiebeveiliging"
    ),
    "obligations.settings_changed": _("Regels voor verplichtingen gewijzigd"),
    "obligations.signed_form_downloaded": _("Ondertekend formulier gedownload"),
    "obligations.vog_fulfilled": _("Verplichting nagekomen: VOG"),
    "obligations.vog_recorded": _("VOG vastgelegd"),
    "obligations.vogs_closed_function_changed": _("Open VOG vervallen (andere functie)"),
    "policies.acknowledgements_purged": _(
        "Verlopen bevestigingen van de gedragscode verwijderd (aantal)"
    ),
    "policies.adoption_step_add": _("Besluit over een documentversie vastgelegd"),
    "policies.code_of_conduct_acknowledge": _("Gedragscode bevestigd"),
    "policies.document_create": _("Document aangemaakt"),
    "policies.version_adopt": _("Documentversie vastgesteld"),
    "policies.version_create": _("Documentversie opgesteld"),
    "policies.version_expire": _("Documentversie vervallen"),
    "policies.version_update": _("Conceptversie gewijzigd"),
    "registers.campaign.confirmed": _("Registraties herbevestigd"),
    "registers.campaign.opened": _("Herbevestiging geopend"),
    "registers.campaign.purged": _("Verlopen herbevestigingen verwijderd (aantal)"),
    "registers.campaign.reminder_sent": _("Herinnering herbevestiging verstuurd"),
    "registers.conflict.registered": _("Mogelijk belangenconflict gemeld"),
    "registers.counterparties.imported": _("Lijst van leveranciers en aanbestedingen ingelezen"),
    "registers.contract.registered": _("Toestemming gevraagd voor opdracht of levering"),
    "registers.decided": _("Besluit over een registratie"),
    "registers.export": _("Registers geëxporteerd"),
    "registers.financial_interest.read": _("Financieel belang ingezien"),
    "registers.financial_interest.registered": _("Financieel belang gemeld"),
    "registers.gift.registered": _("Geschenk of uitnodiging gemeld"),
    "registers.master_key_rotated": _("Hoofdsleutel: financiële belangen opnieuw verpakt"),
    "registers.purged": _("Verlopen registraties verwijderd (aantal)"),
    "registers.signal.weighed": _("Signaal van mogelijke belangenverstrengeling gewogen"),
    "registers.side_activity.changed": _("Nevenwerkzaamheid gewijzigd"),
    "registers.side_activity.ended": _("Nevenwerkzaamheid beëindigd"),
    "registers.side_activity.reassessment": _(
        "Nevenwerkzaamheid opnieuw te beoordelen na functiewijziging"
    ),
    "registers.side_activity.registered": _("Nevenwerkzaamheid gemeld"),
    "risk_assessment.apply_profile": _("Gevolgen risicoanalyse doorgevoerd in de functie"),
    "risk_assessment.confirm": _("Risicoanalyse bevestigd"),
    "risk_assessment.create": _("Risicoanalyse aangemaakt"),
    "risk_assessment.export": _("Heatmap geëxporteerd"),
    "risk_assessment.export_region": _("Regionale heatmap geëxporteerd"),
    "risk_assessment.override": _("Risiconiveau aangepast met reden"),
    "risk_assessment.update": _("Risicoanalyse gewijzigd"),
    "risk_factors.update": _("Versterkende factoren gewijzigd"),
    "risk_measure.create": _("Beheersmaatregel vastgelegd"),
    "risk_measure.update": _("Beheersmaatregel gewijzigd"),
}
