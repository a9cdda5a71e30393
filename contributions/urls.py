from django.urls import path

from contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.history_view, name="history"),
    path("export.csv", views.export_csv_view, name="export"),
]
