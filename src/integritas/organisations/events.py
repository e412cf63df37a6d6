"""What happens to employees, for the apps that must act on it.

The HR data lives here, but the duties that follow from it belong to the domain apps
(an oath and a VOG for someone who starts, a re-assessment of side activities after a
change of function, ending a counsellor's listing for someone who left). Those apps stand
above this one and must not be imported by it, so they *subscribe*:

    from integritas.organisations.events import employee_started

    @receiver(employee_started)
    def plan_onboarding(sender, *, employee_ids, **kwargs): ...

Every signal is sent inside the transaction of the change, once per batch, with the ids
of the employees concerned: a receiver that writes joins that transaction, so the change
and its consequences commit or roll back together. Receivers must be cheap per id.
"""

from django.dispatch import Signal

#: New employees (also hired workers and interns). Arguments: employee_ids (list[int]).
employee_started = Signal()
#: Employees whose end date was set or changed. Arguments: employee_ids (list[int]).
employee_left = Signal()
#: Employees who got another function. Arguments: employee_ids (list[int]).
function_changed = Signal()

# Events of the domain apps that another domain app acts on. They concern employees, so
# they live here, below every domain app: the sender and the receiver never import each
# other. Sent inside the sender's transaction, like the HR events above.

#: An employee acknowledged a version of the gedragscode (policies → obligations).
#: Arguments: employee_id (int), version_id (int), acknowledged_on (date).
code_of_conduct_acknowledged = Signal()
#: Employees completed a training (awareness → obligations; the information-security
#: training fulfils that onboarding duty). Arguments: employee_ids (list[int]),
#: topic (str, awareness's TrainingTopic value), completed_on (date).
training_completed = Signal()
#: A manager recorded that integrity was discussed with employees, in the HRM cycle or a
#: team meeting (awareness → obligations, R-AW-2). Arguments: employee_ids (list[int]),
#: discussed_on (date).
integrity_discussed = Signal()
