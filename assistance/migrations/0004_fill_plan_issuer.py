"""Plans made without an issuing body get the one their author worked for (else the body that runs
this installation): a printed plan needs an issuer in its heading. Plans that have one keep it."""

from django.db import migrations


def fill_plan_issuer(apps, schema_editor):
    Plan = apps.get_model("assistance", "Plan")
    Profile = apps.get_model("communes", "Profile")
    Organisation = apps.get_model("communes", "Organisation")
    home = Organisation.objects.filter(is_home=True).first()
    for plan in Plan.objects.filter(organisation__isnull=True):
        profile = Profile.objects.filter(user_id=plan.created_by_id).first() if plan.created_by_id else None
        organisation_id = (profile.organisation_id if profile else None) or (home.pk if home else None)
        if organisation_id:
            Plan.objects.filter(pk=plan.pk).update(organisation_id=organisation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_plan_number_signer_mission_photos"),
        ("communes", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_plan_issuer, migrations.RunPython.noop)]
