"""The data step of projects 0005: each existing project's board column is computed from its
milestones (first stage not done; maintenance when all are)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from huoban.projects.models import Milestone, Project
from tests.projects.helpers import sign

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("huoban.projects.migrations.0005_current_stage")


def _run_data_step() -> None:
    step = next(op for op in MIGRATION.Migration.operations if hasattr(op, "sql"))
    with connection.cursor() as cursor:
        cursor.execute(step.sql)


def test_the_data_step_computes_each_projects_stage(actors):
    fresh = sign(actors.officer, actors.alpha, "300000.00")
    half = sign(actors.officer, actors.alpha, "200000.00", name="半程客户有限公司")
    done = sign(actors.officer, actors.alpha, "100000.00", name="完工客户有限公司")
    Milestone.objects.filter(project=half, position__lte=3).update(status="done")
    Milestone.objects.filter(project=done).update(status="done")
    Project.objects.update(current_stage="requirements")  # as the AddField leaves them
    _run_data_step()
    stages = dict(Project.objects.values_list("pk", "current_stage"))
    assert stages == {fresh.pk: "requirements", half.pk: "deployment", done.pk: "maintenance"}
