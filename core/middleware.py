import time


class VietnameseByDefaultMiddleware:
    """Vietnamese unless the user chose English on the switch: the browser's language is not asked.

    Staff machines often run an English browser; the department works in Vietnamese. Placed before
    Django's LocaleMiddleware, which then reads only the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SlidingSessionMiddleware:
    """Signs out after SESSION_COOKIE_AGE seconds without a request, without a database write per page.

    Each save of the session moves its expiry forward; this saves it at most once a minute while it
    is used, where SESSION_SAVE_EVERY_REQUEST would write on every request. Placed after
    SessionMiddleware, so the session is saved on the way out.
    """

    REFRESH_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get("refreshed_at", 0) >= self.REFRESH_AFTER_SECONDS:
                session["refreshed_at"] = now
        return response
