from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<uuid:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:pk>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<uuid:pk>/bought/", views.task_mark_bought, name="task_mark_bought"),
    path("tasks/<uuid:pk>/release/", views.task_release, name="task_release"),
    path("tasks/<uuid:pk>/deliver/", views.task_deliver, name="task_deliver"),
    path("tasks/<uuid:pk>/undeliverable/", views.task_undeliverable, name="task_undeliverable"),
    path("tasks/<uuid:pk>/receipt/", views.task_receipt, name="task_receipt"),
    path("safety/", views.safety_protocol, name="safety"),
    path("profile/", views.profile, name="profile"),
    path("history/", views.history, name="history"),
]
