from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("telegram/link/", views.telegram_link, name="telegram_link"),
    path("telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
    path("sms/inbound/", views.sms_inbound, name="sms_inbound"),
]
