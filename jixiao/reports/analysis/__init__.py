"""Analysis pages (统计分析, SPEC §5): trends, comparisons, KPI series, team against individual, drift."""
