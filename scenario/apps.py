from django.apps import AppConfig


class ScenarioConfig(AppConfig):
    """The top floor: the demo scenario, the generated province and the benchmark over it, which
    span every app. It has no models."""

    name = "scenario"
