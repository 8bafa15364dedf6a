"""The sales vocabulary of the sentiment scorer: every word list, phrase rule and weight in one place.

Read by :mod:`dashboard.intelligence.sentiment`, which explains how they combine. Weights are in
VADER's valence units (a lexicon word is -4..4: "good" 1.9, "great" 3.1, "terrible" -3.4), so a
sales cue and VADER's words add up on one scale.

Patterns are lower case: they match the lower-cased note (typos and shorthand included). The
order of ``CUES`` matters where two cues start at the same word: the first listed wins, so
"signed with Globex" (a competitor) is read before "signed" (our contract). A name capitalised in the
note after "signed with" / "chose" / "lost to" is read as another vendor, never "us".
"""

from __future__ import annotations

import re

# -- VADER words that are no opinion in a sales note --------------------------------------------
# politeness conventions ("please find attached", "thanks", "cheers") and sales nouns VADER reads as
# feelings: "PO" is slang for "pissed off" in VADER's lexicon (-2.6), "security review" is not
# reassurance, a "free trial" is not joy, "shared the deck" is not generosity.
VADER_OVERRIDES = {
    "po": 0.0, "security": 0.0, "support": 0.0, "free": 0.0, "credit": 0.0, "legal": 0.0,
    "share": 0.0, "shared": 0.0, "sharing": 0.0, "invite": 0.0, "prepared": 0.0, "fyi": 0.0,
    "please": 0.0, "thanks": 0.0, "thank": 0.0, "kindly": 0.0, "cheers": 0.0, "welcome": 0.0,
    "hope": 0.0, "sure": 0.0, "ok": 0.0, "okay": 0.0, "pretty": 0.0, "yeah": 0.0,
}  # fmt: skip

# -- CRM shorthand, spelt out before the note is read (by VADER too) ----------------------------------
SHORTHAND = {
    "w/": "with", "w/o": "without", "aprvd": "approved", "apprvd": "approved", "appr'd": "approved",
    "rcvd": "received", "rec'd": "received", "recvd": "received", "sgned": "signed", "sgnd": "signed",
    "rnwl": "renewal", "shortlsted": "shortlisted", "mtg": "meeting", "f/u": "follow up", "resp": "response",
    "lic": "licenses", "cust": "customer", "compet.": "competitor", "til": "until",
    "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years", "mgmt": "management", "approx": "about",
    "b/c": "because", "bc": "because", "thru": "through", "tmrw": "tomorrow", "pls": "please", "plz": "please",
    "vm": "voicemail", "lvm": "left voicemail", "ooo": "out of office", "co": "company", "req": "request",
    "reqs": "requirements", "cxl": "cancel", "cxld": "cancelled", "canc": "cancelled",
}  # fmt: skip

# -- words before a cue that turn it around -----------------------------------------------------
NEGATORS = (
    r"not|no|never|nobody|none|neither|nor|without|hardly|barely|zero|cannot|refus\w*|declin\w*|unable|failed|against|"
    r"\w+n't|dont|didnt|doesnt|isnt|wasnt|arent|werent|havent|hasnt|hadnt|wont|cant|couldnt|wouldnt|shouldnt"
)
# words after a negative cue that say it is over ("budget freeze lifted", "concerns were resolved") ...
REVERSED_AFTER = (
    r"lifted|resolved|cleared|removed|fixed|addressed|ended|unblocked|sorted|solved|handled|dropped|waived|"
    r"(?:is|was|are|were|now|been|seems) (?:over|gone|past|behind us|done|history)"
)
# ... and verbs before one that end it ("cleared the last blocker", "resolved the escalation")
REVERSED_BEFORE = (
    r"lifted|lift|lifting|resolved|resolve|resolving|cleared|clearing|removed|remove|fixed|fix|addressed|"
    r"address|overcame|overcome|overruled|solved|handled"
)
# words after a good sign that undo it ("verbal commit withdrawn")
UNDONE_AFTER = r"withdrawn|withdrew|retracted|rescinded|revoked|reversed|fell through|fell apart|collapsed|cancell?ed"
# words earlier in a clause that make its cues hypothetical: "asked whether they need the contract
# signed by the CFO", "what happens if they cancel" (no event: no valence)
HYPOTHETICAL = r"whether|if|unless|in case|hypothetically"
SELF_NEGATING = frozenset({"absence"})  # positive cues whose own words are negators ("no objections")
NEGATION_WINDOW = 3  # words before a cue searched for a negator
REVERSAL_WINDOW = 4  # words after a negative cue searched for a reversal
NEGATED_POSITIVE = -0.8  # "didn't sign": a denied good sign is nearly as bad as the bad sign
NEGATED_NEGATIVE = 0.5  # "not on hold anymore", "freeze lifted": relief, weaker than good news

# -- contrast: the clause after "but" weighs more than the one before ------------------------------
# coordinating markers: what precedes the marker in the sentence is the conceded part
CONCEDING = re.compile(
    r"\b(?:but|however|nevertheless|nonetheless|unfortunately|that said|in the end|ultimately|at the end of the day|"
    r"sadly)\b[,:]?|,\s*yet\b",
    re.IGNORECASE,
)
# subordinating markers: the clause they open (to the next comma) is the conceded part
SUBORDINATE = re.compile(
    r"(?:\b(?:although|though|even though|despite|in spite of|whereas|regardless of)\b|^\s*while\b)[^,;]*",
    re.IGNORECASE,
)
CONCEDED_WEIGHT = 0.3  # a conceded clause's cues count this much
SENTENCES = re.compile(r"[.!?;\n]+(?:\s+|$)|\s+[-–—]+\s+|\s+/\s+")

# -- logistics: notes that only move the process along -------------------------------------------
LOGISTICS = re.compile(
    r"\b(?:sent|send|sending|emailed|email(?:ed)? (?:to|over)|forwarded|shared|schedul\w*|reschedul\w*|booked|book|"
    r"moved|move|invite[ds]?|calendar|agenda|voicemail|left (?:a )?message|updated|update|logged|log|notes?|"
    r"recap|attached|attach\w*|dial-?in|zoom|teams link|follow(?:ed|ing)?[- ]?up|reminder|set up|setting up|"
    r"next steps?|action items?|will (?:review|send|share|check|circulate|follow|get back|call|try)|"
    r"asked (?:for|about|whether)|"
    r"request(?:ed|s)?|provided|prepared?|prep|added|connected|phone tag|out of office|ooo|review(?:ed|ing)?|"
    r"discuss(?:ed|ing)?|walked through|went through|go(?:ing)? (?:thru|through)|talk(?:ed)?|call|meeting|sync|"
    r"check-?in|talk soon|let me know|connect|(?:good |a )?time to (?:meet|talk|connect|chat)|availab\w*|"
    r"monday|tuesday|wednesday|thursday|friday|mon|tue|tues|wed|thu|thurs|fri|"
    r"tomorrow|tmrw|today|next week|this week|\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d+(?:st|nd|rd|th)|tbd|fyi|"
    r"documents?|docs?|deck|slides|quote|invoice|form|w-?9|nda|sow|msa|questionnaire|report|approval|internal|"
    r"pending|awaiting)\b",
)
LOGISTICS_DAMPING = 0.25  # a logistics note without a sales cue keeps a quarter of VADER's polarity
PLAIN_DAMPING = 0.6  # a note with neither a sales cue nor logistics words: generic English, half-trusted
VADER_SHARE = 0.5  # with sales cues present, VADER's words count half
ALPHA = 15.0  # VADER's normalisation constant: score = x / sqrt(x^2 + ALPHA)

# -- sales cues: (name, valence, alternatives) --------------------------------------------------
_WHO = (
    r"(?:champion|champ|sponsor|exec(?:utive)? sponsor|main contact|our contact|primary contact|key contact|contact|"
    r"point of contact|eb|economic buyer|decision[- ]maker|dm|buyer|key stakeholder|stakeholder|advocate|"
    r"coach|cfo|cto|cio|ceo|coo|vp|director|head of \w+|manager|lead)"
)
_GONE = (
    r"(?:left(?! (?:a |us a |the |her |his )?(?:voicemail|message|vm|note|comment|feedback))|leaving|leaves|"
    r"resigned|resigning|quit|quitting|departed|departing|retired|retiring|laid off|"
    r"let go|fired|terminated|moved on|moved to (?:a )?(?:different|another|new|other) (?:role|team|department|"
    r"company|job|position)|no longer (?:works|with|at|there|owns|in)|gone|on (?:extended |medical |parental )?leave|"
    r"out on leave|went on (?:\w+ )?leave|disengaged|transferred|reassigned|poached|headhunted|hired away|moving on)"
)
_NOT_A_VENDOR = (
    r"us|our|ours|we|they|the|this|that|it|he|she|you|their|his|her|both|all|everyone|legal|procurement|finance|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|q\d|fy\d*|zoom|teams|email|phone"
)
# where a cue names another vendor ("signed with Globex"): a word capitalised in the note that is not
# one of these; the scorer checks the capital (patterns match the lower-cased note)
NAME_SLOT = "<name>"
NAME = rf"(?!(?:{_NOT_A_VENDOR})\b)[a-z][a-z][\w&'-]*(?:\.[\w&'-]+)*"
_NAME = NAME_SLOT
_RIVAL = (
    r"(?:the |a |an |another |their |some )?(?:competitors?|competition|incumbent|rival|other (?:vendor|bid|"
    r"supplier|provider|option|solution)s?|(?:current|existing|old|legacy) (?:vendor|provider|tool|solution|system|"
    r"supplier)|cheaper (?:option|vendor|competitor|provider|alternative|solution|bid)|in-house|internal (?:build|tool|"
    r"solution|team)|spreadsheets|status quo|a different (?:vendor|provider|solution|supplier|tool|platform)|"
    r"someone else|an alternative|another (?:vendor|provider|supplier|bidder|solution|tool|company|option|"
    r"product)|" + _NAME + ")"
)
_PO = r"(?:po|p\.o\.|purchase order|order)"
# fmt: off
CUES = (
    # a sales word naming a topic, not an event ("the cancellation policy", "our approval process", "the PO
    # number"): no valence, and its words are not read again
    ("topic", 0.0, (
        r"(?:cancel\w*|terminat\w*|approv\w*|escalat\w*|renew\w*|churn|sign(?:ature|ing)?|po|purchase order|refund|"
            r"complaints?|exit|discount|security|legal|procurement|budget(?:ing)?|pricing|contract|payment) "
            r"(?:policy|policies|clause|process|matrix|path|procedure|workflow|form|template|number|date|cycle|flow|"
            r"requirements?|section|language|rights?|fees?|terms|steps|chain|contacts?|owner|questionnaire|limits?|"
            r"authority|thresholds?|options?|schedule|dates|deadline|rules)\b",
        r"cancel\w* (?:our|my) (?:\w+ ){0,2}(?:prep|sync|call|meeting|invite|hold|booking|flight|travel|session)",
        r"(?:signed|countersigned) (?:the |an |our |their |a )?(?:mutual )?nda\b", r"nda (?:is |was |got )?signed",
    )),
    ("signed_with_rival", -3.5, (
        r"(?:signed|signing|sign|went|going|gone|go|stick(?:ing)?|stuck|stay(?:ed|ing)?|renew(?:ed|ing)?|"
            r"partnered|decided to go|moving forward|moved forward|proceeding|continu(?:e|ed|ing)) with "
            + _RIVAL,
    )),
    ("chose_rival", -3.5, (
        r"(?:chose|chosen|choose|choosing|picked|picking|selected|selecting|prefer(?:s|red)?|awarded (?:it |"
            r"the \w+ )?to|went to|gone to|(?:switch|migrat|churn|defect)(?:e|ed|es|ing)? to|lean(?:ing|"
            r"s)? (?:toward|towards|to)|replac(?:e|ed|ing) us with|kept) "
            + _RIVAL,
        r"lean(?:ing|s)? (?:towards? |to )?(?:build(?:ing)?|in-house|internal|diy)\b",
        r"(?:mandated|mandating|mandates|standardi[sz]ed on|standardi[sz]ing on) " + _RIVAL,
        r"(?:opted for|settled on|voted for|went for|decided on|leaving us for|left us for|replaced us with) " + _RIVAL,
    )),
    ("lost_to", -3.5, (
        r"los(?:t|e|ing) (?:out )?to",
        r"(?:competitors?|competition|incumbent) (?:won(?!'?t\b)|wins|undercut|beat|took|kept|keeps|retained|"
            r"got the)",
        r"<name> (?:undercut|beat us|won (?:the )?(?:deal|rfp|business|bid|tender|contract))", r"undercut us",
    )),
    ("rival_out", 2.5, (
        r"(?:competitor|competition|incumbent|<name>) (?:was |is |has been |got )?(?:dropped|eliminated|"
            r"removed|disqualified|ruled out|out of the (?:running|race))",
    )),
    ("deal_lost", -3.0, (
        r"closed[- /]?lost",
        r"los(?:t|e|ing) (?:the |this |that )?(?:deal|one|opp|opportunity|rfp|tender|bid|business|account)",
        r"(?:deal|opp|opportunity) (?:is |was )?(?:lost|dead)", r"\blost\b", r"no decision",
        r"without (?:a )?decision",
    )),
    ("person_gone", -3.5, (
        _WHO + r"\s*(?:\([^)]*\)\s*)?(?:(?:has|have|had|was|were|got|is|just|recently|unexpectedly)\s+)*" + _GONE,
    )),
    ("org_trouble", -2.5, (
        r"laid off", r"lay-?offs?", r"let go", r"resign(?:ed|s|ation)", r"\bquit\b", r"\bfired\b", r"reorg\w*",
        r"restructur\w*", r"bankrupt\w*", r"insolven\w*", r"went under", r"out of business", r"acquired by",
        r"whole team (?:we \w+ with )?is gone",
        r"(?:left|leaving|quit) the (?:company|business|organi[sz]ation|firm)",
        r"moved to a new (?:company|job|employer)",
        r"no longer (?:with|at) the (?:company|business|firm)", r"(?:email|contact|address) bounced",
        r"(?:role|position|job|team|department) (?:was |has been |got )?(?:eliminated|cut|made redundant|"
            r"dissolved|disbanded)", r"redundanc\w*",
    )),
    ("silence", -2.5, (
        r"went (?:dark|silent|quiet|cold|mia|awol)", r"gone (?:dark|silent|quiet|cold)",
        r"going (?:dark|silent|quiet)", r"ghost(?:ed|ing|s)?", r"radio silence", r"unresponsive",
        r"no (?:response|reply|replies|answer|callback|call back|word|movement|traction|engagement|feedback|"
            r"return call)",
        r"not (?:responding|replying|answering|returning|engaged)",
        r"(?:haven'?t|hasn'?t|have not|has not|didn'?t|did not|never) (?:heard back|heard|responded|replied|"
            r"answered|got back|gotten back|returned|called back|came through|come through|showed)",
        r"(?:nobody|no one)(?: is| has)? (?:responding|returning|answering|replying|showed|picked up)",
        r"no[- ]show(?:ed|s)?", r"skipp(?:ed|ing) (?:our|the) (?:calls?|meetings?)", r"chasing",
        r"stopped (?:responding|replying|answering)", r"ignor(?:ed|ing)",
        r"(?:haven'?t|hasn'?t|have not|has not|unable to|can'?t|cannot|couldn'?t|not able to) (?:been able to )?"
            r"(?:reach|get hold of|get in touch|connect with|get a (?:response|reply))",
        r"going cold", r"gone cold", r"(?:weren'?t|were not|not) invited",
        r"unreachable", r"not reachable", r"can'?t get (?:a )?hold of",
        r"(?:haven'?t|hasn'?t|have not|has not|unable to|can'?t|cannot|couldn'?t|not able to) (?:been able to )?"
            r"get (?:a |any )?(?:meeting|call|response|reply|time|answer)",
    )),
    ("slipped", -2.0, (
        r"slip(?:ped|ping|s|page)?", r"push(?:ed)? (?:out|back|again|to|into)", r"pushed", r"postpon\w*",
        r"delay(?:ed|s|ing)?", r"deferr?(?:ed|ing)?",
        r"(?:decision|close|project|purchase|deal|signature|signing|start) (?:date )?(?:\w+ )?(?:moved|pushed|"
            r"bumped) (?:to|out)",
        r"moved (?:the )?(?:decision|close|purchase|start)", r"out of the quarter", r"missed the quarter",
        r"indefinitely", r"no (?:new )?(?:date|timeline)",
        r"dragg?(?:ing|ed|s)? (?:their |its |his |her )?feet", r"back burner", r"de-?prioriti[sz]\w*",
        r"check back (?:next|in|later|after)", r"revisit (?:this |it )?(?:next|in|later|after)", r"maybe next year",
        r"not (?:right )?now\b", r"not this (?:year|quarter)", r"circle back (?:next|in|after)",
    )),
    ("on_hold", -2.5, (
        r"on hold", r"on pause", r"paus(?:ed|ing)", r"put (?:\w+ ){0,3}on (?:hold|ice|pause)", r"on ice", r"frozen",
        r"freez(?:e|ing)", r"froze", r"stall(?:ed|ing|s)?", r"stuck", r"standstill", r"stalemate", r"parked",
        r"shelved", r"mothballed",
        r"halt(?:ed|ing|s)?\b", r"suspend\w*",
    )),
    ("budget_cut", -3.0, (
        r"(?:budget|spend|spending|funding|funds|money)\s+(?:was |got |has been |is |were |had been )?(?:cut|"
            r"cuts|slashed|frozen|reallocated|redirected|pulled|withdrawn|gone|constraints?|constrained|cancelled|"
            r"canceled|reduced|not (?:approved|released|available)|tight|exhausted)",
        r"no (?:budget|funding|money)(?! (?:freeze|cuts?|concerns?|issues?|constraints?|problems?))",
        r"(?:budget|spend|spending|hiring) (?:freeze|cuts?)", r"cut (?:the |their |our )?budget",
        r"pulled (?:the |their )?budget",
        r"(?:budget|funding|money|funds) (?:has |had |have )?(?:dried|dry|run|ran) (?:up|out)",
        r"(?:ran|run|running) out of (?:budget|money|funds|funding)", r"out of budget",
        r"(?:budget|funding|money) (?:went|was moved|moved|was given|was diverted|got diverted) to "
            r"(?:another|a different|other|the other)",
    )),
    ("churn", -3.0, (
        r"churn(?:ed|ing|s)?", r"cancel(?:led|ed|ling|ing|lation|s)?", r"terminat(?:e|ed|ing|ion)", r"non-?renewal",
        r"not renew\w*", r"(?:won'?t|will not|didn'?t|did not) renew", r"downgrad\w*",
        r"reduc(?:e|ed|ing) (?:the )?(?:seats|licen[cs]es|users|scope)", r"refund", r"walk(?:ed|ing)? away",
        r"back(?:ed|ing)? out", r"pull(?:ed|ing)? out", r"withdr[ae]w\w*",
        r"(?:leaving|leave|left|dropping|dropped|replacing|replaced|moving away from|switching away from) us\b",
        r"(?:haven'?t|hasn'?t|not|never|stopped) (?:logged|logging) in", r"stopped using", r"not using (?:it|the|our)",
        r"usage (?:is |has )?(?:down|dropp\w*|declin\w*|fall\w*)", r"low (?:usage|adoption)",
        r"(?:ended|terminated|stopped|abandoned|scrapped|ditched|canned|axed|dropped|binned) "
            r"(?:the |their |our |this )?"
            r"(?:evaluation|project|pilot|poc|trial|deal|contract|talks|conversations?|relationship|process|search|"
            r"rfp|initiative|engagement|partnership)",
        r"pull(?:ed|s|ing)? the plug", r"sunset\w*",
        r"reduc(?:e|ed|es|ing) (?:the |their |our )?(?:seats|licen[cs]es?|licen[cs]e count|users|scope|footprint|order|"
            r"spend|commitment|contract)",
        r"wind(?:ing|s)? down", r"wound down",
        r"(?:client|customer|they|prospect|buyer)\s+walked\b(?! (?:us |me |them |him |her )?(?:through|thru|over))",
        r"(?:hasn'?t|haven'?t|has not|have not|not|never) paid", r"unpaid", r"overdue (?:invoices?|payments?)",
        r"(?:payments?|invoices?) (?:is |are )?overdue", r"late payments?",
        r"opt(?:ed|ing|s)? out",
        r"pull(?:ed|s|ing)? (?:the |their )?(?:rfp|tender|project|deal|funding|opportunity|order)",
    )),
    ("escalation", -2.5, (
        r"escalat\w*", r"complain\w*", r"threat\w*", r"legal action", r"breach", r"outage", r"downtime", r"bug\b",
        r"bugs\b", r"crash\w*", r"broke\b", r"broken", r"disaster", r"data loss", r"lawsuit", r"penalt\w*",
    )),
    ("failed", -3.0, (
        r"fail(?:ed|s|ing|ure)?", r"(?:did not|didn'?t|not) (?:pass|meet)",
    )),
    ("rejected", -2.5, (
        r"reject\w*", r"declin(?:ed|es|ing)", r"veto\w*", r"refus\w*", r"kill(?:ed|s|ing)?",
        r"block(?:ed|s|ing|ers?)?", r"deal-?breaker", r"deal breaker", r"no deal", r"not interested",
        r"(?:not|no longer) (?:moving|going) (?:forward|ahead)", r"(?:not|isn'?t|is not|no longer) a (?:fit|priority)",
        r"(?:won'?t|will not) (?:sign|buy|proceed|move|approve|happen|go)", r"\bdead\b", r"at risk", r"risk of",
        r"unsubscribe", r"stop (?:contacting|calling|emailing|following up)", r"remove[ds]? (?:us |me |them )?from",
        r"said no", r"says no", r"not the right time", r"timing isn'?t right", r"no appetite", r"no interest",
        r"no longer interested", r"doesn'?t see the value",
        r"(?:going|went|go) (?:out )?to (?:rfp|tender|bid)",
        r"(?:go|going|went|gone) (?:another|a different|other) (?:way|direction|route)",
        r"(?:another|a different) direction",
        r"f[ae]ll(?:ing|s)? (?:through|apart)", r"off the table",
        r"(?:deal|project|contract|purchase|it)'?s? (?:is |was )?off\b",
        r"pass(?:ed|es|ing)? on (?:us|our|the|it|this|that)",
        r"(?:not|won'?t|will not|aren'?t|isn'?t|are not|is not) (?:be )?"
            r"(?:buying|purchasing|signing|spending|investing)",
        r"(?:gone|went|going|turned) (?:sideways|south|pear-shaped)", r"off the rails", r"derailed",
        r"too (?:small|big|young|early-stage) (?:a |of a )?(?:vendor|company|provider|supplier|player)",
        r"not (?:the |a )?(?:right|good) fit", r"not enterprise[- ]ready",
        r"(?:not|no longer) in the running", r"out of the running", r"hung up", r"reconsider\w*", r"second thoughts",
        r"having doubts",
        r"(?:not|won'?t be|aren'?t|are not) (?:getting|winning) (?:this|the|that|it)\b",
        r"(?:isn'?t|is not|not|won'?t be|will not be|aren'?t|are not) happening",
        r"(?:taken|take|took|remove) (?:us |them |me |him |her )?off (?:our|the|their|your) (?:\w+ )?list",
    )),
    ("price_objection", -2.0, (
        r"too (?:expensive|pricey|costly|high|complex)", r"over (?:their |the )?budget",
        r"above (?:their |the )?budget", r"cheaper", r"undercut", r"sticker shock", r"\d+ ?% (?:above|more|higher)",
        r"price (?:is |was )?(?:a |an |the )?(?:issue|problem|concern|blocker|sticking point)", r"sticking point",
        r"renegotiat\w* (?:down|the price|pricing|lower)", r"wants? (?:a )?(?:lower price|price cut|bigger discount)",
        r"(?:ours|we|our (?:price|quote|bid|offer|proposal)) (?:is|are|was|were) (?:the )?(?:highest|most expensive|"
            r"priciest)",
    )),
    ("rival_eval", -2.0, (
        r"(?:evaluat|look|consider|compar|talk|shopp)(?:e|es|ed|ing)? (?:at |to )?(?:any |some )?(?:other|alternative|"
            r"another|competing|the (?:competitor|incumbent|other))\w* ?\w*",
        r"considering alternatives", r"rebid", r"re-bid", r"back to (?:market|tender)", r"out to tender",
        r"consolidat\w* vendors", r"(?:prefers|likes|wants) the (?:old|current|existing|incumbent)",
        r"shopping (?:around|for alternatives|other vendors)",
    )),
    ("absence", 2.0, (
        r"no (?:\w+ ){0,2}(?:objections?|concerns?|issues|problems?|blockers?|pushback|push back|questions|"
            r"findings|red flags?|risks?|complaints?|surprises)",
        r"without (?:any )?(?:\w+ )?(?:pushback|push back|objections?|issues|changes|problems|concerns|"
            r"redlines)",
        r"no (?:real )?(?:competition|competitors|alternatives|other vendors?)",
        r"nothing (?:blocking|major|serious|concerning|worrying|of concern|to worry about)",
    )),
    ("objection", -1.5, (
        r"concern(?:s|ed|ing)?", r"objection(?:s)?", r"push ?back", r"issues?\b", r"problem(?:s|atic)?",
        r"worr(?:y|ied|ies)", r"skeptic\w*", r"sceptic\w*", r"doubt\w*", r"hesitan\w*", r"hesitat\w*",
        r"risk(?:s|y)?\b", r"red flags?", r"unhappy", r"frustrat\w*", r"angry", r"upset", r"annoy\w*",
        r"disappoint\w*", r"dissatisfied", r"tense", r"hostile", r"bad news", r"setback", r"stuck", r"lukewarm",
        r"cold feet", r"not convinced", r"struggl\w*", r"confus\w*", r"poor(?:ly)?", r"difficult", r"tough",
        r"painful",
        r"underwhelm\w*", r"(?:didn'?t|did not|don'?t|won'?t) adopt",
        r"hate[ds]?", r"hating", r"dislike[ds]?",
        r"(?:doesn'?t|does not|don'?t|do not) (?:have )?(?:the )?(?:authority|power|budget authority|final say)",
    )),
    # a step still to take is no news (and no valence): "need pricing approval", "pending approval"
    ("pending", 0.0, (
        r"need(?:s|ed)? (?:\w+ ){0,2}(?:approval|sign-?off)", r"(?:pending|awaiting|waiting (?:on|for)|for|requires?|"
        r"request(?:ed|ing)?|seek(?:ing)?|get) (?:\w+ ){0,2}(?:approval|sign-?off)",
    )),
    ("po_issued", 3.0, (
        _PO
            + r"\s*(?:#\s*[\w-]+\s*)?(?:\w+\s+){0,2}(?:issued|received|approved|raised|sent|came|coming|arrived|"
            + r"on its way|cut|number|through|submitted|in hand|generated|placed)",
        r"(?:issue[ds]?|issuing|raise[ds]?|raising|received|got|cut|approved|placed|sent us|sent over|"
            r"sending) (?:\w+\s+){0,2}"
            + _PO
            + r"\b",
        r"invoice (?:was )?paid", r"paid (?:the )?invoice", r"paid upfront", r"payment (?:received|made|came)",
        r"(?:ready|want|wants|able|so they can) to pay", r"(?:pay|paying) (?:this|next) (?:week|month)",
    )),
    ("signed", 3.0, (
        r"(?:contract|sow|msa|order form|agreement|paperwork|deal|renewal|dpa|quote|proposal|docs?|documents?|"
            r"everything)\s+(?:is |was |got |has been |were )?(?:fully |finally |officially )?(?:signed|"
            r"countersigned|executed)",
        r"(?:signed|countersigned|executed) (?:the |our |a |an )?(?:\w+ )?(?:contract|sow|msa|order form|"
            r"agreement|paperwork|deal|renewal|po|order|it|copy)",
        r"countersign\w*", r"signature (?:received|done|back|in hand|complete)",
        r"docusign (?:\w+ )?(?:completed|signed|done|back)", r"signed\b(?! off)",
        r"(?:deal|contract|opp|opportunity|sale) (?:is |has |has been |was )?(?:closed|closing)\b(?![- /]?lost)",
        r"closed the (?:deal|contract|sale)", r"closing (?:this|next|by|before) (?:week|month|quarter|friday|monday)",
        r"(?:we |they )?closed (?:it|them|this one|that one)\b(?![- /]?lost)",
    )),
    ("approved", 2.5, (
        r"(?:signed|sign(?:s|ing)?|signs) off", r"sign-?off", r"approv(?:ed|al|es)", r"green[- ]?light", r"go-ahead",
        r"greenlit", r"thumbs up", r"the nod", r"cleared (?:to|for|us)", r"we'?re cleared", r"passed",
        r"pass(?:ing)? (?:the |their |our )?(?:review|assessment|audit|security|test)", r"ok'?d", r"okayed",
        r"thumbs[- ]up",
        r"(?:we'?re|we are|got|made it|are|is|now) through (?:the )?(?:security|legal|procurement|infosec|"
            r"review|it|compliance)",
        r"(?:got|gave|give|given|get) (?:us )?(?:the |a )?go\b(?!-)",
    )),
    ("commit", 2.5, (
        r"verbal(?:ly)? (?:commit\w*|yes|agreement|ok|approval|go|confirmation)", r"commit(?:ted|ment|s)?\b",
        r"agree(?:s|d)?(?! on (?:a |the )?(?:time|date|agenda|call)| to (?:a |the )?(?:call|meeting|demo|time|"
            r"meet|talk|speak|reconvene|catch up|follow up|connect|reschedule|follow-up|sync))(?= to|\b)",
        r"accept(?:ed|s)?\b",
        r"(?:said|says|gave|give) (?:us )?(?:a )?(?:yes|go)\b", r"let'?s do it", r"on board", r"in principle",
        r"locked in", r"done deal", r"deal is done", r"decision (?:made )?in our favou?r", r"decision is ours",
        r"yes from",
        r"bought in", r"buy-?in from", r"(?:got|have|received|had) (?:the |a )?verbal\b",
        r"confirmed (?:the |their )?(?:purchase|order|deal|renewal|go-ahead|signing|start)",
        r"finali[sz]ed (?:the )?(?:terms|contract|deal|paperwork|agreement|order|pricing)",
        r"no-?brainer", r"slam dunk", r"in the bag", r"easy decision",
        r"verbal (?:from|by|with)\b",
    )),
    ("shortlisted", 2.0, (
        r"short-?list(?:ed)?", r"made the (?:short ?list|cut|final (?:round|two|three))",
        r"final (?:round|two|three)", r"down to (?:us|two|2|three|3)", r"last one standing",
        r"ma(?:de|ke|king) the cut",
    )),
    ("selected_us", 3.0, (
        r"(?:selected|chose|chosen|picked|choose|select|go(?:ing)? with|went with|decided (?:on|for)|awarded|"
            r"stick(?:ing)? with|renew(?:ed|ing)? with|prefer(?:s|red)?|recommend(?:ed|ing|s)?) us\b",
        r"(?:preferred|chosen|selected|approved|recommended) (?:vendor|supplier|partner|provider|solution)",
        r"vendor of choice", r"(?:first|top) choice", r"front-?runner", r"in our favou?r",
        r"(?:we|we'?ve) (?:won|beat|been selected|were selected|got (?:the )?(?:deal|business|nod))",
        r"won (?:the )?(?:deal|rfp|tender|bid|business|contract|account|bake-?off|it)", r"\bwon\b(?!'?t\b)",
        r"award(?:ed)?\b", r"award letter", r"prefer(?:s|red)? (?:our|us)\b",
        r"(?:over|instead of|rather than) (?:the )?(?:competitors?|competition|incumbent)",
        r"(?:been|was|were|got|get|is|are|being)(?: not| never)? (?:selected|chosen|picked)", r"closed[- /]?won",
        r"clear winner", r"best fit", r"(?:just|only) us\b", r"technical win",
        r"(?:selected|chosen|named|picked) as (?:the |a |their )?(?:vendor|partner|supplier|provider|finalist|winner|"
            r"preferred)",
        r"(?:only|sole|single) (?:vendor|provider|supplier|option|source|one they)",
        r"(?:partner|partnering|work|working) with us",
        r"(?:gave|give|given|giving) us the (?:business|deal|contract|order|nod)",
        r"only (?:talked|talking|spoke|speaking|looking|looked|evaluating|evaluated) (?:to |with |at )?us\b",
    )),
    ("budget_ok", 2.5, (
        r"(?:budget|funding|funds|money|spend)\s+(?:\w+\s+){0,2}(?:approved|confirmed|secured|allocated|"
            r"released|signed off|available|in place|unlocked|there)",
        r"fully funded", r"\bfunded",
        r"(?:approv\w*|confirm\w*|secur\w*|allocat\w*|releas\w*|got|found|find) (?:the |their |a |our |some )?"
            r"(?:budget|funding|funds|spend|money)",
    )),
    ("expanding", 2.0, (
        r"expan(?:d|ding|ded|ds|sion)", r"upsell", r"up-sell", r"upgrad(?:e|ed|ing)",
        r"add(?:ing|ed|s)? (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|another|more|"
            r"extra) (?:\w+ )?(?:seats|licen[cs]es|users|modules?|teams?|"
            r"sites?|regions?|units?)",
        r"(?:\d+ )?(?:more|extra|additional) (?:seats|licen[cs]es|users)",
        r"increas(?:ed|ing|e)s? (?:the )?(?:order|scope|seats|licen[cs]es|usage|spend|deal)",
        r"roll(?:ing)? (?:it )?out (?:to|across)", r"rollout to", r"company-?wide", r"globally",
        r"standardi[sz]e on", r"usage is up", r"(?:strong|high|great) adoption", r"upsize",
        r"add(?:ing|ed|s)? (?:[\w-]+ ){0,3}to (?:the|their|our) (?:contract|order|subscription|plan|deal)",
        r"\+\d+ (?:seats|licen[cs]es|users)",
        r"(?:account|usage|adoption|footprint|deployment|spend|relationship) (?:is |keeps )?(?:growing|grew|up\b|"
            r"increas\w*|expanding)", r"growing (?:fast|quickly|steadily)",
        r"(?:the |their )?(?:standard|default|go-to) (?:tool|platform|solution|vendor)", r"standardi[sz]ed on",
        r"consolidat\w* (?:onto|on|to) (?:our|us)\b",
        r"usage (?:is )?(?:so |very |really )?high", r"high (?:usage|adoption)",
    )),
    ("renewed", 2.5, (
        r"renew(?:al)?s? (?:\w+ ){0,2}(?:confirmed|secured|locked|signed|agreed|done|closed|approved)",
        r"renew(?:ed|ing|s)?\b", r"extension", r"extend(?:ed|ing)? (?:the )?(?:contract|term|agreement|pilot|poc)",
        r"(?:pilot|poc|trial|contract|term|agreement|subscription) (?:was |has been |got |is being )?extended",
    )),
    ("promoted", 2.0, (
        r"promot(?:ed|ion)",
    )),
    ("progress", 2.0, (
        r"mov(?:e|ing|ed|es) (?:forward|ahead)", r"go(?:ing)? ahead", r"proceed(?:ing|s)?\b", r"back on track",
        r"back on\b", r"(?:deal|project|it|evaluation|things|everything|pilot) (?:is )?back\b", r"restart\w*",
        r"re-?engag\w*", r"resum(?:ed|ing|e)\b", r"unblocked", r"unfrozen", r"(?:conver\w*|to) (?:to )?paid",
        r"paid conversion", r"accelerat\w*", r"pull(?:ed)? (?:in|forward)", r"ahead of schedule", r"on track",
        r"ready to (?:sign|buy|go|move|proceed|start)",
        r"(?:want|wants|plan|plans|going|keen|expect|expects|expected|intend|intends) to (?:sign|buy|start|"
            r"proceed|close|go)",
        r"sign(?:ing)? (?:this|next|by|before|on)", r"\bsign\b", r"signing\b", r"kick-?off (?:booked|scheduled|set)",
        r"go-?live", r"going live", r"converted to paid", r"clear path", r"top priority", r"buying signals?",
        r"(?:success|exit|acceptance) criteria (?:\w+ )?met", r"met (?:all )?(?:the |their )?(?:success|exit) criteria",
        r"only (?:the )?signature left", r"(?:just|only) need(?:s)? (?:a |the )?signature", r"awaiting signature",
        r"pull the trigger", r"we'?re a go", r"good to go",
        r"fast-?track\w*", r"expedit\w*", r"exceed\w*", r"outperform\w*", r"beat (?:their |the |all )?"
            r"(?:targets?|kpis?|goals?|expectations)",
        r"(?:trial|pilot|poc|prospect|freemium) (?:has |was |got )?converted", r"paid (?:seats|users|licen[cs]es)",
        r"ahead of (?:plan|schedule|forecast)", r"closing (?:\w+ ){0,2}early", r"early close",
        r"on a high(?: note)?", r"(?:are|'re|is|will|decided to|agreed to|going to) buy(?:ing)?\b",
    )),
    ("buying_signal", 1.5, (
        r"(?:asked|asking|want|wants|requested) (?:for |about |us for )?(?:a |the |our )?(?:proposal|pricing|"
            r"quote|contract|order form|implementation dates?|payment terms|start date|full access|demo|trial|"
            r"pilot|references?)",
    )),
    ("affect_positive", 1.5, (
        r"lov(?:e|ed|es|ing)\b", r"thrilled", r"impressed", r"excited", r"enthusiastic", r"delighted", r"pleased",
        r"happy\b(?! to)", r"keen\b", r"eager", r"(?:is|are|was|were|seems?|sounded) (?:\w+ )?happy to",
        r"(?<!not )interested", r"(?<!would )lik(?:e|es|ed) (?:the|our|it|us|what)",
        r"positive (?:meeting|call|feedback|response|reply|discussion|session|conversation)", r"productive",
        r"(?:great|good|strong|perfect) (?:fit|response|feedback)", r"supports? (?:the|our|us|it|this)",
        r"(?:clear|full) agreement", r"big fan", r"raving", r"wow(?:ed)?",
        r"strong (?:fit|interest|support|buying|signal|alignment|champion)",
        r"very (?:engaged|supportive|receptive|positive)", r"supportive", r"receptive", r"convinced", r"confident",
        r"success(?:ful)?\b(?! criteria)", r"exceed(?:ed|s)? (?:\w+ )?expectations", r"best (?:they|we)", r"aligned",
        r"good news", r"great news", r"praised", r"referred us", r"referral",
        r"(?:best|cleanest|easiest|fastest|strongest|nicest|simplest) (?:\w+ ){0,2}"
            r"(?:they'?ve|they have|they'?d) (?:ever )?"
            r"(?:seen|evaluated|used|tried)", r"(?:all )?(?:\w+ )?questions (?:were )?(?:all )?answered",
        r"referred (?:\w+ ){0,3}to us",
        r"(?:biggest|big|strong|great|real|true) (?:advocate|supporter|fan|ally)", r"advocate for us",
    )),
)
# fmt: on
