"""Files of an agreement and of a selection candidate (R-AGR-1, R-SEL-2/4; issue #15): checked by
content and size, fingerprinted, kept under the data dir, downloaded only by who may read the
record; bad files change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huoban.agreements.models import AgreementFile
from huoban.agreements.services import attach_agreement_file, draft_agreement
from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden, ValidationFailed
from huoban.selection.models import CandidateFile
from huoban.selection.services import add_candidate, attach_candidate_file, create_selection
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 40


def _agreement(actors):
    return draft_agreement(
        actors.alpha.code,
        kind="referral",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        actor=actors.officer,
    )


def test_the_signed_copy_is_kept_and_read_by_who_reads_the_text(actors):
    agreement = _agreement(actors)
    page = f"/console/agreements/{agreement.pk}/"
    legal = client_for(actors.legal)
    upload = SimpleUploadedFile("三方协议签署件.pdf", PDF, content_type="application/pdf")
    assert legal.post(f"{page}files/", {"title": "", "file": upload}).status_code == 302
    row = AgreementFile.objects.get()
    assert (row.title, row.original_name, row.size) == (
        "三方协议签署件",
        "三方协议签署件.pdf",
        len(PDF),
    )
    assert row.sha256 == hashlib.sha256(PDF).hexdigest()
    event = AuditEvent.objects.get(action="agreement.file")
    assert event.after["sha256"] == row.sha256
    url = f"{page}files/{row.pk}/"
    response = client_for(actors.gm).get(url)
    assert response.status_code == 200 and response.content == PDF
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    # officers keep the files but do not read the text (R-PRF-3); partner users get 404
    html = client_for(actors.officer).get(page).content.decode()
    assert "三方协议签署件" in html and url not in html
    assert client_for(actors.officer).get(url).status_code == 403
    assert client_for(actors.alice).get(url).status_code == 404
    assert client_for(actors.pm).post(f"{page}files/", {"file": upload}).status_code == 403


def test_a_bad_file_changes_nothing(actors):
    agreement = _agreement(actors)
    before = AuditEvent.objects.count()
    for name, content, field in (
        ("合同.exe", b"MZ\x90\x00", "file"),
        ("合同.pdf", b"not a pdf", "file"),
        ("合同.docx", PDF, "file"),  # a PDF named .docx
    ):
        with pytest.raises(ValidationFailed) as raised:
            attach_agreement_file(
                agreement.pk, upload=SimpleUploadedFile(name, content), actor=actors.officer
            )
        assert field in raised.value.errors
    with pytest.raises(ValidationFailed) as raised:
        attach_agreement_file(
            agreement.pk,
            upload=SimpleUploadedFile("a.pdf", PDF),
            title="长" * 201,
            actor=actors.officer,
        )
    assert "title" in raised.value.errors
    with pytest.raises(Forbidden):
        attach_agreement_file(
            agreement.pk, upload=SimpleUploadedFile("a.pdf", PDF), actor=actors.finance
        )
    assert not AgreementFile.objects.exists() and AuditEvent.objects.count() == before
    html = client_for(actors.officer).post(
        f"/console/agreements/{agreement.pk}/files/",
        {"file": SimpleUploadedFile("合同.pdf", b"not a pdf")},
    )
    assert html.status_code == 422 and "文件内容与类型不符" in html.content.decode()


def test_a_candidates_nda_goes_with_it(actors):
    selection = create_selection(
        title="保险合作伙伴甄选",
        partner_type="channel",
        criteria=[{"metric": "转化率", "op": "gte", "threshold": 15}],
        actor=actors.officer,
    )
    candidate = add_candidate(selection.pk, name="众安在线", actor=actors.officer)
    row = attach_candidate_file(
        candidate.pk,
        kind="nda",
        upload=SimpleUploadedFile("保密协议.docx", DOCX),
        actor=actors.officer,
    )
    assert (row.kind, row.title) == ("nda", "保密协议")
    page = f"/console/selections/{selection.pk}/"
    html = client_for(actors.gm).get(page).content.decode()
    url = f"/console/candidates/{candidate.pk}/files/{row.pk}/"
    assert url in html and "保密协议" in html
    assert client_for(actors.finance).get(url).status_code == 200  # staff read selections
    assert client_for(actors.alice).get(url).status_code == 404
    with pytest.raises(ValidationFailed) as raised:
        attach_candidate_file(
            candidate.pk, kind="contract", upload=SimpleUploadedFile("a.pdf", PDF),
            actor=actors.officer,
        )  # fmt: skip
    assert "kind" in raised.value.errors and CandidateFile.objects.count() == 1
    with pytest.raises(Forbidden):
        attach_candidate_file(
            candidate.pk, kind="nda", upload=SimpleUploadedFile("a.pdf", PDF), actor=actors.pm
        )
