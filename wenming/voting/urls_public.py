"""Public pages of voting, mounted at /p/voting/ inside the ``public`` namespace (names start with "voting-")."""

from django.urls import path

from . import views_public as v

urlpatterns: list = [
    # The vote and the live board first: they carry the bursts, and patterns are tried in order.
    path("<int:poll_id>/vote/", v.vote, name="voting-vote"),
    path("<int:poll_id>/board.json", v.board, name="voting-board"),
    path("<int:poll_id>/", v.poll_page, name="voting-poll"),
    path("<int:poll_id>/c/<int:candidate_id>/", v.candidate_page, name="voting-candidate"),
    path("<int:poll_id>/verify/", v.verify, name="voting-verify"),
    path("<int:poll_id>/results/", v.results, name="voting-results"),
    path("photo/<int:photo_id>/", v.photo, name="voting-photo"),
    path("captcha/<str:nonce>.png", v.captcha_image, name="voting-captcha"),
]
