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
