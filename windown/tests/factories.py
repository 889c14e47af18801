import datetime as dt

import factory

from windown import services
from windown.models import Membership, User, WindDown
from windown.roles import Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.django.Password(PASSWORD)


def make_winddown(*, director: User | None = None, slug: str | None = None, **fields) -> WindDown:
    """Create a wind-down through the service, as a director would."""
    director = director or UserFactory()
    defaults = {
        "company_legal_name": "Acme Trading Ltd",
        "registration_country": "CN",
        "company_form": "CN_enterprise",
        "tax_registrations": ["EU_OSS"],
        "deletion_deadline": dt.date(2027, 3, 31),
        "support_email": "privacy@acme.example",
    }
    slug = slug or f"acme-{WindDown.objects.count() + 1}"
    return services.winddown_create(creator=director, slug=slug, **{**defaults, **fields})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.LEGAL
    department = factory.LazyAttribute(lambda m: "Sales" if m.role == Role.CUSTODIAN else "")
