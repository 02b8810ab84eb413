"""Which staff pages the menu links to; worked out only when a staff page shows the menu."""

from django.utils.functional import SimpleLazyObject

from covidarnost import permissions


def staff_nav(request):
    def links() -> dict[str, bool]:
        user = request.user
        return {
            "desk": permissions.can_use_desk(user),
            # Coordinators open a group's map from its desk; organizers have one group.
            "map": permissions.is_organizer(user),
            "intake": permissions.can_use_intake_desk(user),
        }

    return {"staff_nav": SimpleLazyObject(links)}
