"""Comprehensive assessment of the leagues (盟市综合考核) from rules kept in data.

Pure: :mod:`tanfeng.assessment.scoring` reads ``assessment/data/league_assessment.yaml`` and turns each
league's indicator inputs into points with reasons, a score, a rank and a result (表彰, 通报 or —).
"""
