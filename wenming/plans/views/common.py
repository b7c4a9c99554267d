"""Shared by the pages of 工作督办."""

from __future__ import annotations

from ..choices import ProgressReportStatus, WorkTaskStatus

S = WorkTaskStatus
R = ProgressReportStatus
