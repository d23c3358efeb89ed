"""Points (积分) for the Shanghai residence permit: claims, versioned rule tables, calculator, checklist.

Pure standard-library code. ``claims`` describes what an applicant claims, ``rules`` holds the dated
rule tables and catalogues (each row cites its source), ``calculator`` scores claims against the
``RuleSet`` in force on an assessment date, and ``checklist`` derives the materials to bring.
"""
