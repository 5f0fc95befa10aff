"""Demo local support groups (fictional, written by the forum team; pure data)."""

DEMO_GROUPS = [
    {"organiser": "blinking_bea", "name": "Blepharospasm coffee morning, Bristol", "format": "in_person",
     "country": "United Kingdom", "city": "Bristol", "schedule": "Second Saturday of the month, 10:30 am",
     "description": "An informal coffee morning for anyone living with blepharospasm, and their partners. "
                    "Step-free café, dimmed corner table, **no need to talk** if you would rather listen."},
    {"organiser": "harbor_keeper", "name": "Hemifacial spasm evening circle (online)", "format": "online",
     "country": None, "city": None, "schedule": "Every other Wednesday, 7 pm UK time",
     "description": "A small video call for people with hemifacial spasm. Cameras optional. "
                    "We talk about injections, surgery decisions and the everyday."},
    {"organiser": "left_side_lou", "name": "Lisbon facial spasm meet-up", "format": "both",
     "country": "Portugal", "city": "Lisbon", "schedule": "First Thursday of the month, 6 pm",
     "description": "Meets in a community room near the river; one member joins by video each time for those who cannot travel."},
]
