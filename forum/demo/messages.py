"""Demo private conversations (fictional, written by the forum team; pure data)."""

DEMO_CONVERSATIONS = [
    {
        "title": "Your question about sunglasses",
        "members": ["harbor_keeper", "blinking_bea"],
        "messages": [
            ("harbor_keeper", "Hi Bea, I saw your post about bright supermarkets. Happy to tell you which "
                              "tinted lenses I use, I did not want to clutter the thread."),
            ("blinking_bea", "That would be lovely, thank you! Mine are just dark grey and they do not help indoors."),
            ("harbor_keeper", "Mine are a rose tint (FL-41). Indoors they take the edge off the strip lights. "
                              "Worth asking your optician, and *do* tell your neurologist what helps."),
        ],
    },
    {
        "title": "Welcome to the forum",
        "members": ["willow_mod", "blinking_bea"],
        "messages": [
            ("willow_mod", "Welcome, Bea! If anything here ever worries you, use **Report** under a post or a "
                           "message, or write to me here. The *Coping* board is a gentle place to start."),
        ],
    },
]
