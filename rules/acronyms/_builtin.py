"""Acronyms every reader of an engineering diagram knows, and capitals that are words.

The ubiquitous list is short on purpose: the rule is about the acronyms a junior engineer has to
look up, and a project adds its own everyday ones with ``acronyms.allow``.
"""

from __future__ import annotations

import re

# Shown in MA001's explanation; keep the groups readable.
UBIQUITOUS_GROUPS: dict[str, str] = {
    "computing": "API CPU GPU RAM SSD HDD OS VM IO UI UX ID URL URI SDK CLI IDE PC USB",
    "networking": "DNS IP TCP UDP HTTP HTTPS TLS SSL SSH FTP LAN WAN VPN CDN",
    "formats and languages": "SQL JSON XML HTML CSS CSV PDF YAML REST",
    "practice": "AI ML DB IT QA PR CI CD SLA SLO FAQ CEO CTO CFO VP HR OK",
    "vendors": "AWS GCP IBM",
    "units": "KB MB GB TB PB EB QPS RPS TPS HD TV SMS GPS",
    "places, times and money": "US UK EU UTC GMT AM PM PST PDT EST EDT USD EUR GBP",
}
UBIQUITOUS: frozenset[str] = frozenset(
    word for group in UBIQUITOUS_GROUPS.values() for word in group.split())

# English words written in capitals: for emphasis (YES, FAILED), as states (HEALTHY, OPEN), as
# consistency levels (ONE, QUORUM, ALL, LOCAL, STRONG, EVENTUAL: Cassandra writes them in
# capitals), or as keywords of SQL, HTTP and Redis quoted in a label (SELECT, GET, SETNX). Words
# the document also writes in lower case are recognised without this list (see MA001).
_WORDS_TEXT = """
    A ABORT ALL AN AND ANY ARE AS AT BAD BE BIG BUT BY CAN DO END FOR GO HOT IF IN IS IT ITS LOW
    MAX ME MIN MY NEW NO NOT NOW OF OFF OLD ON ONE OR OUT RUN SO THE TO TOO TOP TWO UP US WE WHY
    YES ONLY ALSO JUST MUST WILL NEVER ALWAYS CANNOT SAME EVERY EACH MORE LESS MOST VERY ACTIVE
    ALARM ALERT BLOCKED BROKEN BUSY CLOSED CRITICAL DANGER DEAD DEGRADED DOWN ERROR FAIL FAILED
    FAILURE FATAL FULL GONE GREEN HALF HEALTHY HIGH IDLE INFO LIVE LOCKED MEDIUM NORMAL OPEN
    OVERLOADED PASS PENDING PRIMARY READY RED RISK SAFE SLOW STABLE STALE STANDBY STOP STOPPED
    STORM SUCCESS TIMEOUT UNHEALTHY UNKNOWN WARN WARNING WRONG YELLOW ORANGE BLUE PURPLE BLACK
    WHITE EAST WEST NORTH SOUTH LEADER FOLLOWER MASTER REPLICA SLAVE OWNER TARGET SOURCE ORIGIN
    LOCAL GLOBAL STRONG WEAK EVENTUAL DONE TODO FIX NOTE STEP PHASE LEVEL MODE TRUE FALSE NULL
    NONE EMPTY VALUE VALUES SELECT INSERT INTO UPDATE DELETE FROM WHERE JOIN GROUP ORDER LIMIT
    LIKE COUNT BEGIN COMMIT ROLLBACK PREPARE EXPLAIN ANALYZE VACUUM REINDEX ALTER TABLE INDEX
    CREATE DROP INTEGER TEXT GET PUT POST PATCH HEAD OPTIONS PING PONG SET SETNX EXPIRE COPY
    LIST PAGE EVAL QUORUM
"""
WORDS: frozenset[str] = frozenset(_WORDS_TEXT.split())

# Endings of English words that acronyms do not have: FAILED, CASCADING, RELOCATION, MANAGEABLE.
WORD_ENDING = re.compile(r"[A-Z]{2,}(?:ED|ING|TION|SION|ABLE|IBLE|MENT|NESS|ALLY|ITY|ICAL|IOUS)")
