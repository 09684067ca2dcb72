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
