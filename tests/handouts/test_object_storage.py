"""On several hosts the handout copies live in an S3-compatible object store that every
app and worker host reads. Tested against a real S3 server (moto's server mode, in its
own process on loopback), through django-storages and boto3 as production runs them."""

import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest
from django.test import Client
from django.urls import reverse

from handouts.pdf import store_pdf
from handouts.stored import purge_stored_handouts
from prescriptions.services import ItemSpec, revise_prescription
from tests.factories import make_prescription

KEYS = {"aws_access_key_id": "centra-test", "aws_secret_access_key": "centra-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the S3 server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Bucket:
    """What the bucket holds, read with boto3 straight from the S3 server."""

    def __init__(self, client, name):
        self.client, self.name = client, name

    def stored(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and the handouts storage pointed at it as `S3_BUCKET` does."""
    name = f"centra-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "handouts": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "location": "centra",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": True,
            },
        },
    }

    return Bucket(client, name)


def test_activation_stores_every_copy_in_the_bucket_not_on_the_disk(bucket, settings, prescription):
    assert store_pdf(prescription)
    keys = bucket.stored()
    assert len(keys) == 6  # each reader, language and print size anyone can download
    assert all(key.startswith(f"centra/handouts/handout-{prescription.pk}-v1-") for key in keys)
    assert all(bucket.body(key).startswith(b"%PDF") for key in keys)
    # Nothing went to the local folder that holds the copies on one host.
    local = settings.PRIVATE_FILES_ROOT / "handouts"
    assert not any((local / key.rsplit("/", 1)[1]).exists() for key in keys)


def test_a_download_is_served_from_the_bucket_through_the_signed_in_view(
    bucket, prescription, patient
):
    store_pdf(prescription)
    client = Client()
    client.force_login(patient.user)
    response = client.get(reverse("handouts:pdf", args=[prescription.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.content in {bucket.body(key) for key in bucket.stored()}
    assert Client().get(reverse("handouts:pdf", args=[prescription.pk])).status_code == 302


def test_a_revision_leaves_only_the_new_versions_copies(bucket, prescription, therapist):
    store_pdf(prescription)
    items = [ItemSpec.from_item(item) for item in prescription.items.order_by("position")]
    revised = revise_prescription(
        prescription=prescription, items=items[:-1], by=therapist, change_note="One fewer"
    )
    store_pdf(revised)
    assert [key.split("-v")[1][0] for key in bucket.stored()] == ["2"] * 6


def test_archiving_the_patient_empties_the_bucket_of_their_copies(
    bucket, prescription, patient, other_patient, therapist, django_capture_on_commit_callbacks
):
    theirs = make_prescription(other_patient, therapist)
    store_pdf(prescription)
    store_pdf(theirs)
    with django_capture_on_commit_callbacks(execute=True):
        patient.archived = True
        patient.save()
    assert all(f"handout-{theirs.pk}-" in key for key in bucket.stored())
    assert len(bucket.stored()) == 6


def test_the_retention_job_reads_and_deletes_in_the_bucket(bucket, prescription, patient):
    store_pdf(prescription)
    prescription.status = prescription.Status.ENDED
    prescription.save(update_fields=["status"])
    assert purge_stored_handouts() == 6
    assert bucket.stored() == []
