"""auditlog's middleware, naming the user DRF authenticates too.

AuditlogMiddleware reads request.user when the request comes in: an API call with a token is
still anonymous then (DRF authenticates inside the view), so its changes had no actor. Here
the actor is read when an entry is saved: DRF sets the authenticated user on the underlying
request, so a token user is named like a signed-in one. No client address either way.
"""

from auditlog.middleware import AuditlogMiddleware


class AuditActorMiddleware(AuditlogMiddleware):
    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        # auditlog calls the callables of its context when it saves an entry.
        data["actor"] = None
        data["actor_id"] = lambda: getattr(self._get_actor(request), "pk", None)
        return data
