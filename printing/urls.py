from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    path("blocks/<uuid:pk>/form.pdf", views.request_forms, name="request_forms"),
    path("blocks/<uuid:pk>/flyer.pdf", views.flyer, name="flyer"),
    path("volunteers/<uuid:pk>/route.pdf", views.route_sheet, name="route_sheet"),
    path("batches/<uuid:pk>/", views.batch_status, name="batch_status"),
    path("batches/<uuid:pk>/download.pdf", views.batch_download, name="batch_download"),
]
