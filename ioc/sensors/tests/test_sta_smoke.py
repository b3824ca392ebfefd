from django.test import TestCase

from ioc.sensors.tests.sta_support import StaClient, thing_payload


class SmokeTest(StaClient, TestCase):
    def test_deep_insert_then_read(self):
        created = self.send("POST", "Things", thing_payload("A", ext_id="tram-a"), 201)
        print(created)
        print(self.get_json("Things?$expand=Datastreams($expand=Sensor,ObservedProperty),Locations&$count=true"))
        print(self.get_json("Things('tram-a')/Datastreams"))
