"""Word and sentence pools for the demo data.

The generator writes millions of rows at the ``large`` scale, so text is built
by picking and formatting sentences from these fixed pools (a few hundred
nanoseconds each) instead of calling Faker per row.

Sales notes and meeting summaries come in three moods, and the wording of each
mood is deliberately unambiguous: the scoring job runs a lexicon sentiment
model (VADER plus sales rules, dashboard/intelligence/sentiment.py; a note
with no sales cue and only logistics words keeps a quarter of VADER's
score) over these texts, and the demo only shows learnable signal if
positive notes read positive, neutral notes carry no sentiment words, and
negative notes read negative. Keep new sentences in the right pool, and keep
sentiment words ("great", "problem", "unfortunately", "no", ...) out of the
neutral pools.

Placeholders (filled with ``str.format_map``): ``{contact}`` a first name,
``{company}`` a short company name, ``{product}``, ``{feature}``,
``{competitor}``, ``{weekday}``, ``{deal}`` the deal name.
"""

from __future__ import annotations

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

PRODUCTS = [
    "analytics suite", "reporting module", "API platform", "data pipeline add-on",
    "forecasting module", "workflow automation package", "customer portal", "mobile app bundle",
    "integration hub", "compliance toolkit", "usage-based plan", "premium service tier",
]

FEATURES = [
    "dashboard builder", "SSO integration", "audit trail", "bulk import", "Salesforce sync",
    "custom reports", "role-based access", "API rate limits", "data retention settings",
    "Slack notifications", "scheduled exports", "sandbox environment",
]

# fictional competitors, mentioned in notes and in deals.competitor_analysis
COMPETITORS = [
    "Northwind", "Contoso", "Globex", "Initech", "Umbrella Analytics", "Vandelay Systems",
    "Stark Data", "Hooli", "Pied Piper", "Soylent Cloud", "Massive Industries", "Wayne Metrics",
]

DEAL_THEMES = [
    "Platform subscription", "Analytics add-on", "Enterprise license", "Pilot project",
    "Annual renewal", "Team expansion", "Data migration", "Premium service upgrade",
    "Regional rollout", "API access tier", "Multi-year contract", "Proof of concept",
    "Reporting upgrade", "Seat expansion", "Integration package", "Compliance bundle",
]

# --- activity notes (details) ----------------------------------------------------------------

POSITIVE_NOTES = [
    "Great call, they loved the demo and want a proposal by {weekday}.",
    "{contact} was very enthusiastic about the {feature} and wants to move forward quickly.",
    "Excellent conversation; {company} confirmed the budget is approved for this quarter.",
    "They are excited about the {product} and happy with the pricing we proposed.",
    "Strong interest from the team, {contact} said it is exactly what they need.",
    "Really positive meeting, the CFO likes the ROI numbers and supports the project.",
    "{contact} thanked us for the quick answers and is glad we can deliver in time.",
    "Fantastic feedback on the pilot, users love the {feature}.",
    "{contact} happily confirmed we are the preferred vendor and wants to sign soon.",
    "Wonderful session, the whole team was impressed by the {product}.",
    "Good news: legal approved our terms without changes.",
    "{contact} is a strong champion and is happy to introduce us to the VP.",
    "They liked the proposal a lot and want to expand the scope to two more teams.",
    "Very productive call, clear agreement on success criteria and a great fit overall.",
    "{contact} said our support team is the best they have worked with.",
    "Delighted customer reference call, {contact} loved hearing from a similar company.",
    "Excellent progress, procurement is happy and the paperwork is moving smoothly.",
    "The technical team is impressed with the {feature} and gave a clear thumbs up.",
    "{contact} replied within minutes, thrilled with the revised offer.",
    "Great momentum: {company} wants to start the rollout next month.",
    "They appreciate the flexible terms and are confident in the business case.",
    "{contact} praised the demo and asked for a proposal for the whole department.",
    "Wonderful news, the steering committee approved the project.",
    "Strong alignment with their goals; {contact} is eager to get started.",
    "The pilot was a clear success and the users are happy with the results.",
    "Very friendly call, {contact} loves the {product} and will recommend it internally.",
    "They are pleased with our security review answers and excited to proceed.",
    "{contact} confirmed strong support from the leadership team.",
]

NEUTRAL_NOTES = [
    "Sent the pricing sheet, waiting to hear back.",
    "Left a voicemail for {contact}, will try again on {weekday}.",
    "Sent the case study; {contact} will review it with the team.",
    "{contact} asked for the compliance questionnaire, sent it over.",
    "Updated the deal record with the new headcount figures.",
    "Call scheduled with {contact} for {weekday} to go through the {feature}.",
    "Forwarded the contract draft to {contact} for review.",
    "{contact} is out of office until {weekday}.",
    "Logged the requirements for the {product} integration.",
    "Discussed the implementation timeline and the onboarding steps.",
    "Sent the meeting notes and the list of open questions.",
    "{company} is comparing three vendors, decision expected next quarter.",
    "{contact} will check the budget cycle and come back to us.",
    "Walked through the {feature} and answered questions about data import.",
    "Asked {contact} for the names of the people in the technical review.",
    "Sent the onboarding plan and the sample statement of work.",
    "Procurement needs the vendor form filled in before the next step.",
    "Reviewed the current setup: they use spreadsheets and a legacy tool.",
    "Emailed the updated quote with the annual billing option.",
    "{contact} asked about the migration of historical data.",
    "Noted the renewal date of their current contract.",
    "Sent a calendar entry for the follow-up on {weekday}.",
    "The team will run an internal review of the proposal this month.",
    "Counted the seats and listed the regions for the rollout.",
    "{contact} requested a copy of the standard terms.",
    "Documented the integration points with their ERP system.",
]

NEGATIVE_NOTES = [
    "They are unhappy with the price and considering {competitor}.",
    "{contact} went quiet after the demo; no reply to two emails, which is worrying.",
    "Bad news: the budget was cut and the project is on hold.",
    "{contact} is frustrated and upset about the slow answers from our team.",
    "The demo went poorly, the {feature} failed in front of the team.",
    "Unfortunately {company} decided to delay the decision until next year.",
    "{contact} complained that the proposal is too expensive and too complex.",
    "Serious concerns about data protection; legal is blocking the deal and it is a real problem.",
    "Our main contact left {company}; the project is stalled, a big setback, and the team is disappointed.",
    "{contact} said the integration problems are a dealbreaker.",
    "They are disappointed with the pilot results and doubt the value.",
    "Tense call, {contact} is annoyed that the quote changed again.",
    "Lost momentum, the steering committee rejected the business case.",
    "{competitor} offered a steep discount and we are likely to lose the deal.",
    "Angry email from {contact} about missed deadlines during the pilot.",
    "No budget this year; {contact} said to stop following up.",
    "The CFO is skeptical and worried about the implementation risk.",
    "Negative feedback on the {product}: too hard to use for their team.",
    "{contact} cancelled the meeting again and ignored the follow-up.",
    "They are unhappy with the contract terms and threatened to walk away.",
    "Poor turnout at the demo and the users seemed bored.",
    "Frustrating call, the requirements keep changing and nobody owns the decision.",
    "{contact} warned that {competitor} is ahead and our chances look bad.",
    "Difficult conversation about the failed data migration test.",
    "The team rejected the pricing and the deal is at serious risk.",
]

# neutral next-step sentences appended to notes (no sentiment words)
NEXT_STEPS = [
    "Next step: send the revised quote.",
    "Next step: schedule a technical deep-dive.",
    "Follow-up set for {weekday}.",
    "Will send the compliance documents by {weekday}.",
    "Next step: intro call with their IT lead.",
    "Action: prepare the draft order form.",
    "Next step: send the implementation plan.",
    "Will check in with {contact} on {weekday}.",
    "Next step: align on the pilot scope.",
    "Action: bring in our sales engineer.",
]

# outbound prospecting: mostly neutral, a few replies either way
OUTBOUND_NEUTRAL = [
    "Sent intro email about the {product} to {contact}.",
    "Cold call to {company}, spoke to the front desk.",
    "Added {contact} to the Q{quarter} email sequence.",
    "Sent a LinkedIn connection request to {contact}.",
    "Second touch in the sequence: sent the {company} industry report.",
    "Emailed {contact} the overview deck and a short video.",
    "Called the main line and asked for the head of operations.",
    "Sent the event invitation to {contact}.",
]
OUTBOUND_POSITIVE = [
    "{contact} replied and is happy to book a discovery call.",
    "Great response: {contact} is interested and wants a demo next week.",
    "{contact} liked the case study and asked for more details.",
]
OUTBOUND_NEGATIVE = [
    "{contact} replied that they are not interested.",
    "{contact} was annoyed and asked to be removed from the mailing list.",
    "Bounced email; the address for {contact} is wrong, bad data.",
]

ACTIVITY_SUBJECTS = {
    "outbound": [
        "Intro email to {contact}", "Outreach: {product}", "Prospecting call to {company}",
        "LinkedIn message to {contact}", "Sequence step: {company}", "Event invite: {company}",
    ],
    "call": [
        "Call with {contact}", "Discovery call: {company}", "Check-in call with {contact}",
        "Pricing call: {company}", "Follow-up call with {contact}", "Technical questions call",
    ],
    "email": [
        "Re: {deal}", "Follow-up: {product}", "Pricing for {company}", "Security questionnaire",
        "Next steps with {company}", "Re: proposal questions", "Contract draft for {company}",
    ],
    "note": [
        "Account note: {company}", "Internal note", "Deal update: {deal}", "Notes from {contact}",
        "Competitive note: {company}",
    ],
    "proposal": ["Proposal sent: {deal}", "Revised proposal: {deal}", "Quote for {company}"],
    "sale": ["Closed won: {deal}", "Signed order form: {deal}", "Contract signed: {company}"],
    "meeting": ["Meeting: {title}"],
}

PROPOSAL_DETAILS = [
    "Sent the proposal for the {product} with annual billing.",
    "Proposal covers {seats} seats, onboarding and the premium plan.",
    "Sent the proposal and the draft statement of work to {contact}.",
    "Revised proposal with the multi-year option and the {feature}.",
]
SALE_DETAILS = [
    "Order form signed by {contact}. Handing over to onboarding.",
    "Contract countersigned; kickoff to be scheduled with the onboarding team.",
    "Purchase order received from {company} procurement.",
]

# --- meetings ------------------------------------------------------------------------------------

MEETING_TYPE_LABELS = {
    "discovery": "discovery call",
    "demo": "product demo",
    "proposal_presentation": "proposal presentation",
    "negotiation": "negotiation meeting",
    "closing": "closing call",
    "check_in": "check-in",
    "technical_review": "technical review",
    "stakeholder_alignment": "stakeholder alignment session",
    "decision_maker_meeting": "executive meeting",
    "other": "meeting",
}

MEETING_TITLES = {
    "discovery": ["Discovery call with {company}", "Intro meeting: {company}", "Needs analysis with {contact}"],
    "demo": ["Product demo for {company}", "{product} demo", "Demo: {feature} walkthrough"],
    "proposal_presentation": ["Proposal review with {company}", "Presenting the {deal} proposal"],
    "negotiation": ["Commercial terms with {company}", "Pricing negotiation: {deal}"],
    "closing": ["Final review and signature: {company}", "Closing call: {deal}"],
    "check_in": ["Check-in with {contact}", "Monthly sync: {company}", "Quarterly business review"],
    "technical_review": ["Technical deep-dive: {feature}", "Security review with {company} IT"],
    "stakeholder_alignment": ["Stakeholder alignment: {company}", "Working session with the {company} team"],
    "decision_maker_meeting": ["Executive briefing: {company}", "Meeting with the {company} leadership"],
    "other": ["Lunch with {contact}", "Conference follow-up: {company}", "Workshop at {company}"],
}

MEETING_SUMMARY_POSITIVE = [
    "The {label} went very well; the team was impressed and asked for next steps.",
    "Great {label}: {contact} loved the {feature} and confirmed strong interest.",
    "Excellent engagement from everyone, they are excited to move forward.",
    "Positive discussion, budget and timeline look good and the sponsor is supportive.",
    "{contact} was delighted with the answers and wants the proposal this week.",
    "Productive {label}; clear agreement on success criteria and a happy audience.",
    "The decision maker joined and was enthusiastic about the {product}.",
    "Wonderful session, the users loved the workflow and asked great questions.",
]
MEETING_SUMMARY_NEUTRAL = [
    "Walked through the {feature} and the implementation steps.",
    "Reviewed requirements with {contact}; they will send the data model.",
    "Covered pricing options and the onboarding timeline.",
    "Discussed the integration with their current systems and the rollout plan.",
    "Went through the compliance questionnaire item by item.",
    "Agenda covered the pilot scope, the timeline and the people involved.",
    "{contact} took notes and will brief the wider team internally.",
    "Clarified the contract structure and the renewal terms.",
]
MEETING_SUMMARY_NEGATIVE = [
    "The {label} went badly; {contact} was frustrated with the missing features.",
    "Tense discussion about price, they feel the offer is too expensive.",
    "Poor attendance and little interest; the sponsor seemed distracted and annoyed.",
    "They raised serious concerns, and the failed test import made things worse.",
    "{contact} said {competitor} is cheaper and the team is unhappy with our terms.",
    "Disappointing {label}: the demo environment crashed and the audience lost interest.",
    "Difficult meeting, the CFO rejected the business case.",
    "They complained about slow answers during the pilot and doubt the value.",
]
MEETING_NEXT_STEPS = [
    "Send the revised proposal by {weekday}.",
    "Schedule a technical deep-dive with their IT team.",
    "Send the reference customer list.",
    "Prepare the order form and send it to procurement.",
    "Set up a pilot environment for two weeks.",
    "Book a follow-up with the decision maker.",
    "Send the compliance documentation.",
]
NO_SHOW_SUMMARIES = [
    "{contact} did not join; sent a note to reschedule.",
    "Nobody from {company} showed up to the call.",
]
RESCHEDULE_SUMMARIES = [
    "{contact} asked to move the meeting to next week.",
    "Rescheduled at the customer's request.",
]

# description template -> task type created from it
ACTION_ITEMS = [
    ("Send revised pricing to {contact}", "email"),
    ("Share the security questionnaire answers", "email"),
    ("Schedule technical deep-dive with {company} IT", "meeting"),
    ("Prepare proposal for {deal}", "proposal"),
    ("Follow up with {contact} on open questions", "follow_up"),
    ("Set up pilot environment for {company}", "general"),
    ("Send reference customer contacts", "email"),
    ("Book demo of the {feature} for the wider team", "demo"),
    ("Call {contact} to confirm the decision timeline", "call"),
    ("Draft the statement of work", "proposal"),
]

# --- tasks --------------------------------------------------------------------------------------

TASK_TITLES = {
    "call": ["Call {contact} about pricing", "Call {contact} to confirm timeline", "Intro call with {company}"],
    "email": ["Email {contact} the case study", "Send contract draft to {company}", "Reply to {contact}'s questions"],
    "meeting": ["Book meeting with {company} leadership", "Arrange onsite visit at {company}"],
    "follow_up": ["Follow up with {contact}", "Chase signature on {deal}", "Follow up on proposal for {company}"],
    "proposal": ["Prepare proposal for {deal}", "Update quote for {company}", "Write business case for {company}"],
    "demo": ["Prepare demo for {company}", "Set up demo environment for {contact}"],
    "general": ["Update account plan for {company}", "Research {company} org chart", "Log call notes for {deal}"],
}
SUBTASK_TITLES = [
    "Gather requirements", "Draft pricing section", "Get manager approval on discount",
    "Legal review of terms", "Prepare slides", "Book the room and send invites",
    "Collect customer references", "Check technical prerequisites", "Send recap email",
    "Update CRM fields", "Review with solutions engineer", "Confirm attendees",
    "Prepare sandbox data", "Write executive summary", "Proofread final document",
]
TASK_DESCRIPTIONS = [
    "Use the latest pricing sheet.",
    "Include the onboarding timeline and the support options.",
    "Check the notes from the last meeting first.",
    "Coordinate with the solutions engineer.",
    "Keep the manager in copy.",
    "Due before the steering committee meets.",
]

# --- people and accounts ------------------------------------------------------------------------

TITLES = {
    "entry": ["Sales Associate", "Junior Analyst", "Operations Coordinator", "Marketing Assistant",
              "Support Specialist", "IT Technician"],
    "mid": ["Account Manager", "Software Engineer", "Business Analyst", "Marketing Manager",
            "Procurement Specialist", "Project Manager", "Data Analyst", "Office Manager"],
    "senior": ["Senior Engineer", "Senior Product Manager", "Lead Architect", "Senior Buyer",
               "Head of Analytics", "Senior Operations Manager", "IT Manager"],
    "executive": ["VP of Sales", "VP of Engineering", "Director of Operations", "Director of IT",
                  "VP of Finance", "Director of Procurement", "VP of Marketing"],
    "c-level": ["CEO", "CTO", "CFO", "COO", "CIO", "Chief Revenue Officer", "Chief Data Officer"],
}

SKILLS = [
    "negotiation", "budgeting", "python", "sql", "cloud architecture", "procurement",
    "vendor management", "data analysis", "project management", "security compliance",
    "change management", "forecasting", "salesforce", "erp systems", "leadership", "devops",
]

INDUSTRIES = [
    ("Software", 14), ("Financial Services", 9), ("Healthcare", 8), ("Manufacturing", 9),
    ("Retail", 7), ("Logistics", 6), ("Education", 4), ("Energy", 4), ("Telecommunications", 4),
    ("Media", 3), ("Real Estate", 3), ("Insurance", 5), ("Hospitality", 3), ("Consulting", 5),
    ("Government", 2), ("Biotech", 3), ("Automotive", 3), ("Construction", 3), ("Agriculture", 2),
    ("Nonprofit", 1),
]

TECH_STACK = [
    "AWS", "Azure", "Google Cloud", "Salesforce", "HubSpot", "SAP", "Oracle", "Snowflake",
    "PostgreSQL", "MySQL", "Kubernetes", "Docker", "React", "Node.js", "Python", "Java", ".NET",
    "Tableau", "Power BI", "Slack", "Microsoft 365", "Google Workspace", "Zendesk", "Jira",
    "Shopify", "Stripe", "Workday", "ServiceNow", "Databricks", "Looker",
]

# synthetic brand names ("Bluepeak Analytics") widen the Faker company names
BRAND_PREFIXES = [
    "Blue", "North", "Silver", "Birch", "Green", "Iron", "Copper", "Sierra", "Summit", "Red",
    "Golden", "Crystal", "Cedar", "Harbor", "Pine", "Stone", "Sun", "Star", "Ever", "Tide",
    "Rapid", "Prime", "Nova", "Alpha", "Terra", "Aqua", "Vista", "Metro", "Urban", "Peak",
    "River", "Oak", "Maple", "Falcon", "Eagle", "Fox", "Wolf", "Lion", "Atlas", "Orion",
    "Quantum", "Vector", "Pixel", "Cloud", "Data", "Signal", "Bridge", "Core", "Apex", "Zen",
]
BRAND_SUFFIXES = [
    "peak", "field", "stone", "wave", "point", "works", "line", "gate", "light", "path",
    "ridge", "view", "bay", "port", "forge", "mark", "scale", "stack", "flow", "craft",
    "bit", "lab", "hub", "wick", "sphere", "leaf", "brook", "crest", "shore", "mint",
]
BRAND_KINDS = [
    "Analytics", "Systems", "Logistics", "Health", "Labs", "Software", "Services", "Partners",
    "Devices", "Industries", "Technologies", "Foods", "Utilities", "Capital", "Retail", "Media",
    "Consulting", "Networks", "Robotics", "Bio", "Motors", "Insurance", "Learning", "Cyber",
    "Manufacturing", "Holdings", "Digital", "Group", "Inc.", "Ltd", "GmbH", "LLC", "Corp.",
]

COMPANY_DESCRIPTIONS = [
    "{industry} company focused on {focus}.",
    "Mid-sized {industry} business expanding into new regions; interested in {focus}.",
    "Long-standing {industry} firm modernising its {focus}.",
    "Fast-growing {industry} player; current priority is {focus}.",
]
COMPANY_FOCUS = [
    "customer analytics", "supply chain visibility", "sales reporting", "data governance",
    "process automation", "self-service dashboards", "cost control", "compliance reporting",
    "customer retention", "partner management",
]

TEAM_NAMES = ["Team North", "Team South", "Team East", "Team West", "Team Central"]
TEAM_DESCRIPTIONS = [
    "Northern territory: enterprise and mid-market accounts.",
    "Southern territory: mid-market and SMB accounts.",
    "Eastern territory: financial services and healthcare.",
    "Western territory: technology and media.",
    "Central territory: manufacturing and logistics.",
]

STAKEHOLDER_NOTES = {
    "positive": [
        "Strong supporter, pushes the project internally.",
        "Likes our product and helps with the business case.",
        "Great relationship; meets with us every week.",
    ],
    "neutral": [
        "Owns the technical evaluation.",
        "Signs off on the budget.",
        "Needs to see the compliance documents.",
        "Reports to the COO.",
    ],
    "negative": [
        "Skeptical and worried about the value; prefers the current tool.",
        "Concerned about the cost and the risk of the migration.",
        "Has a poor opinion of our team after the failed pilot.",
    ],
}

INTERACTION_NOTES = {
    "social": ["Reacted to our post about the {product}.", "Commented on the {company} announcement.",
               "Connected on LinkedIn."],
    "text": ["Quick text to confirm the meeting time.", "Texted the dial-in details."],
    "other": ["Met at the industry conference.", "Short chat at the partner event."],
    "email": ["Replied to the newsletter.", "Forwarded our email to a colleague."],
    "call": ["Short call about the next steps.", "Returned our call."],
}

PERSONAL_EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"]

# company name suffixes used for legacy spelling variants and domain slugs
COMPANY_SUFFIXES = ["inc", "inc.", "llc", "ltd", "ltd.", "plc", "gmbh", "corp", "corp.", "co", "co.",
                    "group", "and sons", "& sons", "limited", "incorporated", "corporation"]
