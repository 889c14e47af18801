import factory

from notices.models import Recipient


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")
    language = "en"
    jurisdiction = "DE"
