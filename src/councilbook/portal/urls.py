from django.urls import path

from councilbook.portal import feeds, views_members, views_public

app_name = "portal"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("log-ind/", views_members.login_request, name="login"),
    path("log-ind/sendt/", views_members.login_sent, name="login_sent"),
    path("log-ind/link/", views_members.login_with_link, name="login_link"),
    path("log-ud/", views_members.logout_view, name="logout"),
    path("medlemmer/", views_members.meetings, name="meetings"),
    path("medlemmer/moeder/<str:day>/", views_members.meeting, name="meeting"),
    path("medlemmer/moeder/<str:day>/filer/<uuid:document_id>/", views_members.document, name="document"),
    path("medlemmer/moeder/<str:day>/indsigelse/", views_members.object_to_minutes, name="objection"),
    path("medlemmer/kalender/", views_members.calendar, name="calendar"),
    path("kalender/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("spoerg/", views_public.ask, name="ask"),
    path("spoerg/tak/", views_public.asked, name="asked"),
    path("spoerg/bekraeft/<str:token>/", views_public.confirm, name="confirm"),
]
