"""The monthly report of appraisal work (绩效考核月报, SPEC §5): generated, edited, published."""
