"""The review wing of cycles (§3, §6): department summaries (部门汇总), HR's findings (检查结果),
rectification (整改), release settings (结果开通) and feedback interviews (绩效面谈)."""
