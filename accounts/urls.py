"""The accounts pages, under /accounts/ (beside Django's own log-in and password views)."""

app_name = "accounts"

urlpatterns: list = []
