"""Documents printed by PoleDesk (conventions, attestations, attendance sheets): ReportLab, no Qt."""
