"""Demo community content for the forum: members, topics and replies.

Written by the forum team as clearly fictional demo content. Every member,
story and conversation below is invented; any resemblance to real people is
unintended. Members speak from their own (invented) experience, and the two
expert accounts share general information only, never advice about anyone's
individual care. This module is pure data.
"""

DEMO_MEMBERS = [
    {
        "username": "demo_admin",
        "role": "admin",
        "bio": "Forum team account. Posts site notices and keeps the lights on.",
    },
    {
        "username": "willow_mod",
        "role": "moderator",
        "bio": "Blepharospasm since my late forties. Volunteer moderator, here to keep things kind and on topic.",
    },
    {
        "username": "harbor_keeper",
        "role": "moderator",
        "bio": "Right-sided hemifacial spasm for ten years, injections every three months. Volunteer moderator.",
    },
    {
        "username": "dr_rowan_neuro",
        "role": "expert",
        "bio": "Movement disorders neurologist volunteering here. I share general information and can't advise on individual cases.",
        "credential": "Neurologist, movement disorders",
        "institution": "Demo University Hospital",
    },
    {
        "username": "dr_marlow_neurosurg",
        "role": "expert",
        "bio": "Neurosurgeon with an interest in cranial nerve disorders. General information only; your own team knows your case best.",
        "credential": "Neurosurgeon, cranial nerve disorders",
        "institution": "Demo Regional Neuroscience Centre",
    },
    {
        "username": "blinking_bea",
        "role": "member",
        "bio": "Blepharospasm, both eyes, six years and counting. Injection-diary evangelist. Owner of many hats.",
    },
    {
        "username": "left_side_lou",
        "role": "member",
        "bio": "Left hemifacial spasm for four years. Currently weighing up surgery versus staying with injections.",
    },
    {
        "username": "rose_tint_rita",
        "role": "member",
        "bio": "Blepharospasm, light sensitive, FL-41 glasses fan. Spent two years being told it was dry eye.",
    },
    {
        "username": "mvd_marco",
        "role": "member",
        "bio": "Right hemifacial spasm for seven years, microvascular decompression last year. Happy to answer questions about recovery.",
    },
    {
        "username": "twitchy_theo",
        "role": "member",
        "bio": "Newly diagnosed right hemifacial spasm. Dad of two, office worker, learning as I go.",
    },
    {
        "username": "sunlit_sparrow",
        "role": "member",
        "bio": "Retired primary school teacher with blepharospasm. Birdwatching with tinted glasses and a wide-brimmed hat.",
    },
    {
        "username": "patient_partner_pat",
        "role": "member",
        "bio": "My wife has blepharospasm. I'm here to learn how to help without getting in the way.",
    },
    {
        "username": "northside_nell",
        "role": "member",
        "bio": "Blepharospasm. I help run a small in-person coffee group on the north side of town.",
    },
    {
        "username": "quiet_cheek_kai",
        "role": "member",
        "bio": "Right hemifacial spasm. Guitar teacher and occasional wedding singer.",
    },
    {
        "username": "dee_cares",
        "role": "member",
        "bio": "Daughter and carer for my mum, who has had blepharospasm for twelve years.",
    },
]


DEMO_TOPICS = [
    # ------------------------------------------------------------------
    # introductions
    # ------------------------------------------------------------------
    {
        "board": "introductions",
        "title": "Welcome! A few friendly notes before you post",
        "author": "willow_mod",
        "posts": [
            {
                "author": "willow_mod",
                "body": """Hello and welcome. However you found us, we're glad you're here.

A few notes that help this place stay useful and kind:

- **Introduce yourself on this board** if you'd like to. Share as much or as little as you're comfortable with. Lurking is fine too.
- **We are peers, not your medical team.** Members share what happened to *them*. Our expert volunteers share general information, but nobody here can assess your situation. Please take anything you read to your own doctor.
- **Protect your privacy.** Please don't post your full name, address, phone number, or the names of individual clinic staff. Pseudonyms are the norm here.
- **Different choices are all valid.** Some of us have injections, some have had surgery, some manage with neither. Please don't pressure anyone.
- **If you are in crisis**, contact your local emergency services or a crisis line. The forum can't respond quickly enough to keep you safe.

Welcome again. Pull up a chair.""",
            },
            {
                "author": "demo_admin",
                "body": "Thanks, Willow. One addition from the forum team: if a post worries you or breaks these guidelines, let a moderator know rather than arguing in the thread. We'll take it from there.",
            },
            {
                "author": "northside_nell",
                "body": """The "different choices are all valid" point matters so much. When I was first diagnosed I found another forum where people were very sure there was only one right answer, and I left feeling worse than when I arrived.

Glad this place is different.""",
            },
        ],
    },
    {
        "board": "introductions",
        "title": "New here: hemifacial spasm diagnosis last month",
        "author": "twitchy_theo",
        "posts": [
            {
                "author": "twitchy_theo",
                "body": """Hi all. I'm 44, I work in an office, and for about a year my right lower eyelid has been doing a little flutter that I blamed on too much coffee.

Over the winter it started pulling the corner of my mouth up as well, and last month a neurologist finally gave it a name: **hemifacial spasm**.

Honestly it was a relief to hear it isn't something I'm doing to myself. It was less of a relief to hear "this usually doesn't go away on its own."

I've got an MRI booked and a follow-up after that. I've been lurking for a week and the treatments board has already answered half my questions. Mostly I wanted to say hello to people who get it. My kids call it my "winky face", which is sweet and also makes me want to hide under a blanket.""",
            },
            {
                "author": "willow_mod",
                "body": """Welcome, Theo. "Winky face" made me smile. Kids have a way of naming things.

You'll find a lot of people with hemifacial spasm on the **diagnosis** and **treatments** boards, and plenty of us on **coping** who are mostly here for company. Shout if you can't find something.""",
            },
            {
                "author": "left_side_lou",
                "body": """Other side, same club. Welcome.

In my first year I was convinced everyone was staring at me. Some people did notice, but far fewer than I imagined, and most of those who asked were just curious or kind. It got easier once I had a short, boring explanation ready: "it's a nerve thing, it's not painful, I'm having it treated."

Good luck with the MRI.""",
            },
            {
                "author": "blinking_bea",
                "body": """Welcome! One thing I wish I'd done earlier: before your follow-up, write down

1. when it started and how it has spread,
2. what makes it worse and better,
3. your questions, in order of importance.

Appointments fly by and I always remembered my best question in the car park afterwards.""",
            },
        ],
    },
    {
        "board": "introductions",
        "title": "Six years of blepharospasm and I've finally found my people",
        "author": "sunlit_sparrow",
        "posts": [
            {
                "author": "sunlit_sparrow",
                "body": """Hello everyone. I'm a retired primary school teacher. About six years ago I started blinking a lot under the classroom lights. I put it down to tiredness, then to dry eyes, and spent a long time trying different eye drops.

By the time I saw a neurologist my eyes were clamping shut in the supermarket and on bright days. The diagnosis was **benign essential blepharospasm**. I've since learned that "benign" just means it isn't life-threatening, not that it's trivial!

I have injections every three months and they help a great deal, though the last few weeks of each cycle are hard.

I'm not really looking for advice today, just company. My family are lovely but they don't quite *get* it.""",
            },
            {
                "author": "rose_tint_rita",
                "body": """The dry eye detour! I did exactly the same thing for two years. Welcome, you're among friends.

And yes, "benign" is a funny word for something that stops you reading a menu.""",
            },
            {
                "author": "harbor_keeper",
                "body": """Welcome, Sparrow. Company is a perfectly good reason to be here.

If you're ever up for meeting people in person, have a look at the **local-groups** board. Nell runs a lovely coffee morning and there's a thread about starting your own.""",
            },
            {
                "author": "sunlit_sparrow",
                "body": "Thank you both. I've already read half the coping board and nodded the whole way through.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # coping
    # ------------------------------------------------------------------
    {
        "board": "coping",
        "title": "Screens, sunlight and supermarket lights: what sets yours off?",
        "author": "rose_tint_rita",
        "posts": [
            {
                "author": "rose_tint_rita",
                "body": """I've been keeping notes on what makes my blepharospasm worse. My top triggers so far:

- **Bright sunshine**, especially low winter sun while driving (I don't drive then any more)
- **Fluorescent lighting** in big shops
- **Screens in the evening** when I'm tired
- Wind, smoke, or air blowing in my face
- Reading small print
- Being stressed or rushed

What helps *me*, for what it's worth:

- Rose-tinted (FL-41) glasses indoors, wraparound sunglasses outdoors
- Dark mode and larger text on my phone
- A brimmed hat, always
- Shopping early in the morning when it's quieter

What are yours? I'm especially curious whether people with hemifacial spasm have the same light triggers.""",
            },
            {
                "author": "sunlit_sparrow",
                "body": """**Wind!** Nobody believes me about wind. Car air vents pointed anywhere near my face are a disaster, so I point them all at my feet.

Also the glare off wet pavements after rain.""",
            },
            {
                "author": "quiet_cheek_kai",
                "body": """Hemifacial spasm here. Light isn't really my thing. Mine gets worse with:

- talking a lot (teaching days are rough)
- smiling or laughing hard
- stress and tiredness

It's been interesting reading this board and realising how different hemifacial spasm and blepharospasm can be, even though people lump them together.""",
            },
            {
                "author": "blinking_bea",
                "body": """Screens are my nemesis. I set a timer every 20 minutes to look away at something far off and let my eyes rest. It doesn't stop the spasms but it seems to push the bad spell later in the day.

And +1 to the hat. My collection is now officially a problem.""",
            },
        ],
    },
    {
        "board": "coping",
        "title": "Stress makes it worse, and worrying about that makes it worse still",
        "author": "quiet_cheek_kai",
        "posts": [
            {
                "author": "quiet_cheek_kai",
                "body": """I teach guitar and sing at the odd wedding. When I'm nervous the spasm on the right side of my face flares, then I notice it, then I get more nervous, and round we go.

The injections help a lot with the day-to-day, but that stress loop is still there, especially in the last few weeks before my next appointment.

How do you all break the loop? I'd love practical things rather than "just relax" (if I could, I would!).""",
            },
            {
                "author": "left_side_lou",
                "body": """A few things that help me:

1. **Stop checking.** I used to look in every mirror and shop window. I made a rule not to, and my anxiety dropped noticeably.
2. **Tell a few people.** Once my close colleagues knew, it stopped being a secret I had to manage.
3. **Slow breathing before a known stressful thing.** Breathe in for four, out for six, a few times. It doesn't stop the spasm but it takes the edge off the panic about it.""",
            },
            {
                "author": "harbor_keeper",
                "body": """For me, talking to a counsellor helped. Not because it's "all in my head" (it isn't, it's a nerve problem), but because living with something visible on your face is genuinely hard and it's OK to get support with that.

> You're not trying to stop the spasm by relaxing. You're trying to stop the spasm from running your day.

That's how mine put it, and it stuck.""",
            },
            {
                "author": "mvd_marco",
                "body": "Before my surgery I found that the more I fought it, the worse it got. Accepting that it would probably twitch during a meeting and carrying on anyway was oddly freeing. Not easy, but freeing.",
            },
            {
                "author": "quiet_cheek_kai",
                "body": "Thank you, all. \"Stop the spasm from running your day\" is going on a sticky note on my music stand.",
            },
        ],
    },
    {
        "board": "coping",
        "title": "Little tricks that get me through a bad eye day",
        "author": "blinking_bea",
        "posts": [
            {
                "author": "blinking_bea",
                "body": """I learned recently that many people with blepharospasm have "sensory tricks", small actions that ease the spasms for a while. It made me feel less daft about the odd things I do! Mine:

- Lightly touching the outer corner of my eyebrow
- Humming (quietly, I'm not a monster)
- Chewing gum while I walk round the shops
- Talking. My eyes are often better mid-conversation
- Looking slightly downward rather than straight ahead

And some bigger-picture things:

- Doing errands in the first half of the week after my injection kicks in
- Audiobooks instead of paper books on bad days
- Saying "my eyes are having a moment" and just pausing

What are yours?""",
            },
            {
                "author": "northside_nell",
                "body": "Humming in the post office queue! I thought I was the only one. Also singing along to the radio in the car (as a passenger, of course).",
            },
            {
                "author": "sunlit_sparrow",
                "body": """Pressing a finger lightly just above my eyebrow works for me for a minute or two. Long enough to read a price label.

I also carry a small "bad day kit": wraparound sunglasses, lubricating drops my eye doctor recommended, and a card with my address on it in case I ever need help getting home. I've never needed the card, but having it calms me.""",
            },
            {
                "author": "willow_mod",
                "body": "Bookmarking this one. It's exactly the sort of thread I wish I'd found in my first year.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # treatments
    # ------------------------------------------------------------------
    {
        "board": "treatments",
        "title": "Injection countdown: does anyone else fade at 10 to 12 weeks?",
        "author": "blinking_bea",
        "posts": [
            {
                "author": "blinking_bea",
                "body": """I'm on a 12-week botulinum toxin cycle for blepharospasm. Roughly how it goes for me:

- **Day 0:** injections, nothing changes for a few days
- **Days 3 to 7:** it starts to kick in
- **Weeks 2 to 8:** my best stretch, I almost forget about it
- **Weeks 10 to 12:** wearing off, squinting my way round the shops

I've started keeping a little diary with a score out of 10 each day so I can show my injector the pattern rather than just saying "it wears off".

Has anyone had their interval or dose changed after showing something like this?""",
            },
            {
                "author": "quiet_cheek_kai",
                "body": """Hemifacial spasm, 13-week cycle. The diary idea really works. When I showed mine, my injector could see the cheek and mouth came back earlier than the eye, and adjusted where the injections went. The next cycle was noticeably more even.

It didn't change my interval, but it made the whole three months better.""",
            },
            {
                "author": "rose_tint_rita",
                "body": "My clinic prefers to keep me at 12 weeks, so I plan around it instead: big outings in weeks 2 to 8, and I stock the freezer before the last fortnight. Not perfect, but it helps.",
            },
            {
                "author": "dr_rowan_neuro",
                "body": """Speaking generally, not about anyone's own treatment: the effect of botulinum toxin injections for facial spasms commonly lasts around three months, but it varies a lot between people and even between cycles for the same person. Many clinics prefer to keep injections at least about 12 weeks apart.

A simple diary like Bea's is one of the most useful things you can bring to an appointment. It helps your injector decide whether to adjust the **dose**, the **injection sites**, or the **timing**. Those decisions need to be made with your own clinic, because they depend on your history and exam.""",
            },
            {
                "author": "blinking_bea",
                "body": "Thank you, that's reassuring. Bringing my diary (and a pen for the car park questions) next time.",
            },
        ],
    },
    {
        "board": "treatments",
        "title": "FL-41 tinted glasses: worth the money?",
        "author": "sunlit_sparrow",
        "posts": [
            {
                "author": "sunlit_sparrow",
                "body": """I keep seeing people here mention FL-41 (rose-tinted) glasses for light sensitivity with blepharospasm. They're not cheap where I live.

For those who've tried them: did they help, and did you go for prescription lenses or clip-ons?""",
            },
            {
                "author": "rose_tint_rita",
                "body": """I've worn them for two years and they're the first thing I put on in a supermarket. They don't stop the spasms, but harsh indoor lighting bothers me much less and I get fewer clamp-downs.

I bought a cheap non-prescription pair first to see if they suited me before spending on proper lenses. Worth doing.

There was a small study years ago that found this tint helped some people with blepharospasm; the articles section links to it.""",
            },
            {
                "author": "blinking_bea",
                "body": """Helpful for me indoors, but not a miracle. Outdoors, good wraparound sunglasses and a hat do more for me than the tint.

Everyone's different, so trying a cheap pair first is good advice.""",
            },
            {
                "author": "twitchy_theo",
                "body": "Hemifacial spasm here. I tried a friend's pair and didn't notice a difference, but light isn't really one of my triggers. Sounds like they're more of a blepharospasm thing.",
            },
            {
                "author": "sunlit_sparrow",
                "body": "Thank you. I'll try an inexpensive pair first and report back.",
            },
        ],
    },
    {
        "board": "treatments",
        "title": "Droopy eyelid after my last round of injections: did it settle for you?",
        "author": "northside_nell",
        "posts": [
            {
                "author": "northside_nell",
                "body": """Ten days after my last injections my left upper eyelid is drooping. I look half asleep on one side and it's making me self-conscious. The spasms are well controlled, at least!

Has this happened to anyone else? How long did it last?""",
            },
            {
                "author": "blinking_bea",
                "body": "It happened to me once, about two years ago. It lasted around three weeks and then gradually lifted. I told my clinic and they changed one of the injection spots the next time, and it hasn't happened since.",
            },
            {
                "author": "dr_rowan_neuro",
                "body": """A general note, not about your case specifically: temporary drooping of the upper eyelid (ptosis) is one of the recognised side effects of injections around the eye, and it usually improves as the effect of the toxin wears off.

Please let your injecting clinic know. They will want to record it, and they may adjust the injection pattern next time.

Contact your clinic promptly, or seek urgent care, if you have:

- double vision that doesn't settle
- difficulty closing your eye, or a painful or red eye
- **any difficulty swallowing, speaking or breathing** (rare, but always urgent)""",
            },
            {
                "author": "northside_nell",
                "body": "Update: I called the clinic and they were very reassuring and made a note for next time. Four weeks in and the lid is almost back to normal. Thanks both.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # diagnosis
    # ------------------------------------------------------------------
    {
        "board": "diagnosis",
        "title": "MRI next Tuesday: what was yours like?",
        "author": "twitchy_theo",
        "posts": [
            {
                "author": "twitchy_theo",
                "body": """My neurologist has ordered an MRI of my head to "look at the facial nerve and rule out other causes". I've never had one.

How long did yours take? Is it as loud as people say? I'm a bit nervous about the tunnel.""",
            },
            {
                "author": "left_side_lou",
                "body": """Mine took about 35 to 40 minutes. It is loud, but they gave me earplugs and headphones. There's a cage-like frame over your head which felt strange for the first minute, then fine.

Tip: tell the staff beforehand if you're nervous about enclosed spaces. Mine talked to me between each set of pictures, which helped a lot.

My scan showed a small artery touching the facial nerve near the brainstem, which my neurologist said fitted with my symptoms.""",
            },
            {
                "author": "mvd_marco",
                "body": "Mine included some extra detailed sequences and an angiogram part to show the blood vessels. The report said there was \"neurovascular contact\". My surgeon later said the scan is only one piece of the picture and he went by my symptoms and exam as much as the images.",
            },
            {
                "author": "dr_marlow_neurosurg",
                "body": """Some general background that may help with the nerves (the human kind):

For suspected hemifacial spasm, many centres do an MRI of the brain that includes **thin, high-resolution slices** through the area where the facial nerve leaves the brainstem, often together with **MR angiography (MRA)** to show the blood vessels. The scan has two jobs:

1. to look for a blood vessel touching or pressing on the facial nerve, and
2. to rule out less common causes, such as a tumour or changes from multiple sclerosis.

One important caveat: contact between a vessel and a nerve can also show up in people who have no symptoms at all, so results are always interpreted together with your symptoms and examination. Your own team will go through what your scan shows.

And yes, please do tell the radiographers if you're worried about enclosed spaces. It's a very common concern and they have ways to help.""",
            },
            {
                "author": "twitchy_theo",
                "body": "Done! Loud, boring, and much less scary than I'd built it up to be. Results at my follow-up in two weeks. Thanks everyone.",
            },
        ],
    },
    {
        "board": "diagnosis",
        "title": "Told it was dry eye (and 'just stress') for two years",
        "author": "rose_tint_rita",
        "posts": [
            {
                "author": "rose_tint_rita",
                "body": """Sharing in case it helps someone earlier in the process.

For two years I was told my constant blinking and squeezing was dry eye, then "probably stress". I tried every drop on the pharmacy shelf. Some helped my gritty feeling a bit, but not the spasms.

What finally moved things on:

- An optometrist who watched my eyes clamp shut during a routine test and referred me on
- **A video on my phone** of a bad spell, because of course my eyes behaved perfectly in every appointment
- Seeing a neuro-ophthalmologist, who diagnosed blepharospasm within about ten minutes

If you feel unheard, it's OK to ask for a second opinion.""",
            },
            {
                "author": "blinking_bea",
                "body": "The video tip is gold. Mine always vanished the moment I sat down in a consulting room. Thirty seconds of footage from the supermarket did more than years of describing it.",
            },
            {
                "author": "sunlit_sparrow",
                "body": "Worth adding: my eye doctor told me dry eye and blepharospasm can both be true at the same time, and treating the dry eye still made my days more comfortable. So the drops weren't wasted, they just weren't the whole story.",
            },
            {
                "author": "harbor_keeper",
                "body": "Same story on the hemifacial spasm side. Mine was called a \"nervous tic\" for a long time. These conditions are uncommon and a lot of doctors rarely see them, which is frustrating but understandable. Keep going until someone takes a proper look.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # research
    # ------------------------------------------------------------------
    {
        "board": "research",
        "title": "Anyone following deep brain stimulation for blepharospasm or Meige syndrome?",
        "author": "blinking_bea",
        "posts": [
            {
                "author": "blinking_bea",
                "body": "I read an article about deep brain stimulation (DBS) being used for severe blepharospasm and Meige syndrome. I'm not planning anything, my injections work well, but I'm curious where things stand. Is it a real option or still experimental?",
            },
            {
                "author": "dr_rowan_neuro",
                "body": """Good question, and here is the honest, general picture.

- DBS is an established treatment for some other forms of dystonia.
- For blepharospasm and Meige syndrome, the evidence so far comes mostly from **small case series** and pooled analyses of those reports. Many of the people described improved, some substantially, but there are **no large randomised trials** for blepharospasm specifically.
- It is brain surgery with implanted hardware. It carries risks such as bleeding and infection, needs many programming visits, and benefit can take months to appear.
- Where it is offered, it is usually only for severe, disabling symptoms that haven't responded well enough to injections and other treatments, and only at specialist centres.
- It is **not** a treatment for hemifacial spasm, which has a different cause.

So: real, but reserved for a small group of people, and still being studied. If it ever became relevant for someone, that would be a detailed conversation with a specialist team.""",
            },
            {
                "author": "sunlit_sparrow",
                "body": "Thank you. It's comforting to know there are options being studied for the hardest cases, even if most of us won't need them.",
            },
        ],
    },
    {
        "board": "research",
        "title": "Saw a headline about gene therapy for dystonia. What does it mean for us?",
        "author": "patient_partner_pat",
        "posts": [
            {
                "author": "patient_partner_pat",
                "body": """My wife has blepharospasm. I saw a news headline this week about "gene therapy breakthrough for dystonia" and got quite excited, then realised I didn't really understand it.

Is this something that could help her in the next few years?""",
            },
            {
                "author": "dr_rowan_neuro",
                "body": """I understand the excitement. The honest answer is that, right now, it doesn't change anything people with facial spasms can use.

- There is **no approved gene therapy** for blepharospasm or hemifacial spasm, and I'm not aware of any being tested in people with these conditions.
- Most people with blepharospasm don't have a single identifiable gene causing it; it's thought to involve a mix of inherited and other factors.
- Hemifacial spasm is usually caused by a blood vessel pressing on the facial nerve, which isn't a genetic problem to fix.
- Genetic research on dystonia is valuable because it helps scientists understand how the brain's movement circuits go wrong. Turning that into treatments is a long road.

One practical warning: please be cautious of any clinic offering "gene" or "stem cell" treatments for facial spasms for a fee. Genuine early research is done in registered clinical trials.""",
            },
            {
                "author": "harbor_keeper",
                "body": """A few questions I ask myself when I see a research headline:

1. Was it done in **people**, or in cells or animals?
2. **How many** people were involved?
3. Was it about **my** condition, or a related one?
4. Where was it published, and is there a link to the actual study?

It saves me a lot of emotional whiplash.""",
            },
            {
                "author": "patient_partner_pat",
                "body": "That's really helpful, thank you both. A bit deflating, but I'd rather know. And I'm stealing that list of questions.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # stories
    # ------------------------------------------------------------------
    {
        "board": "stories",
        "title": "One year after microvascular decompression: my story",
        "author": "mvd_marco",
        "posts": [
            {
                "author": "mvd_marco",
                "body": """It's a year since my microvascular decompression (MVD) for right-sided hemifacial spasm, so I promised myself I'd write this up.

**Before:** seven years of spasms that started at my lower eyelid and spread to my cheek and mouth. Injections helped well for about four years, then less so. My MRI showed an artery in contact with the facial nerve.

**Deciding:** I saw a neurosurgeon who does this operation regularly. We talked through the chances of success, the risks (including hearing loss and facial weakness) and what would happen if it didn't work. I took three months to decide. My wife came to every appointment and took notes.

**The operation and hospital:** incision behind my ear, about three nights in hospital. I had a headache and felt sick for the first few days, and was more tired than I expected for a few weeks.

**The spasms:** they did *not* stop straight away, which I'd been warned could happen. There were still twitches for a couple of months. By around month five they were mostly gone.

**Now:** the occasional tiny flicker when I'm exhausted. Hearing checked and fine. I'm very glad I did it.

> This is one person's story. Some people get instant relief, some take longer, some don't get full relief, and the risks are real. Please talk it through with a surgeon who does a lot of these operations.""",
            },
            {
                "author": "left_side_lou",
                "body": "Thank you for this, Marco. I'm at the consultation stage and the \"it might not stop straight away\" part is really useful to know. How did you decide which surgeon to see?",
            },
            {
                "author": "mvd_marco",
                "body": """A few questions I asked (and they were happy to answer):

- How many of these operations do you do each year?
- Do you monitor the facial nerve and hearing during surgery?
- What are the most common problems afterwards, and how are they handled?
- What happens if the spasms don't settle?

I also asked my neurologist who they'd refer their own family to.""",
            },
            {
                "author": "twitchy_theo",
                "body": "Bookmarking. I'm nowhere near this decision yet but it's good to know what the road looks like.",
            },
            {
                "author": "willow_mod",
                "body": "Thank you for writing this so carefully, Marco, including the honest caveats. This is what makes the stories board special.",
            },
        ],
    },
    {
        "board": "stories",
        "title": "I sang at my niece's wedding",
        "author": "quiet_cheek_kai",
        "posts": [
            {
                "author": "quiet_cheek_kai",
                "body": """My niece asked me to sing at her wedding months ago and I said yes before thinking about my face.

I planned my injections so the wedding fell about three weeks afterwards, in what's usually my best stretch. I practised in front of the mirror until I stopped looking for the twitch.

On the day my cheek pulled a couple of times in the second verse. I kept going. Afterwards nobody mentioned my face. They mentioned the song, and my niece cried (the good kind).

Nobody was looking at my cheek. They were looking at the bride.""",
            },
            {
                "author": "blinking_bea",
                "body": "Oh, this made my morning. Well done, Kai.",
            },
            {
                "author": "harbor_keeper",
                "body": "\"Nobody was looking at my cheek. They were looking at the bride.\" I think I need that on a poster.",
            },
            {
                "author": "northside_nell",
                "body": "Planning around your best weeks is such a good tip. Congratulations to you and your niece.",
            },
        ],
    },
    {
        "board": "stories",
        "title": "Ten years on: what I'd tell my newly diagnosed self",
        "author": "harbor_keeper",
        "posts": [
            {
                "author": "harbor_keeper",
                "body": """Ten years ago this month I was told I had hemifacial spasm. A few things I'd tell that frightened person:

1. **It's not your fault.** You didn't cause this with stress or screens.
2. **Treatment is a process, not a single appointment.** It took my team three cycles to find the right dose and spots.
3. **Keep notes.** Your memory will smooth over the bad weeks.
4. **Tell a few people.** Secrets are heavy.
5. **You are allowed to grieve a bit.** And then you're allowed to laugh about it too.
6. **Find your people.** A forum, a coffee group, one friend who gets it.

What would you tell yours?""",
            },
            {
                "author": "sunlit_sparrow",
                "body": "I'd tell mine: stop apologising for your eyes. People are far more understanding than you expect.",
            },
            {
                "author": "mvd_marco",
                "body": "Ask every question, even the ones that feel silly. Especially those.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # caregivers
    # ------------------------------------------------------------------
    {
        "board": "caregivers",
        "title": "How do I help without hovering?",
        "author": "patient_partner_pat",
        "posts": [
            {
                "author": "patient_partner_pat",
                "body": """My wife has had blepharospasm for three years. When her eyes clamp shut in a restaurant I tend to jump in and read the menu to her, or take her arm in car parks.

She's told me (kindly) that sometimes it makes her feel helpless. I don't want to do that. But I also don't want to stand there doing nothing.

How do other partners handle this? And from those of you with spasms, what actually helps?""",
            },
            {
                "author": "blinking_bea",
                "body": """From the patient side: **ask first**, every time, even if the answer is usually yes. "Want me to read it?" gives me the choice.

My husband and I also agreed a small signal. If I squeeze his hand twice, I'd like help. If I don't, I'm managing, even if it looks awkward.""",
            },
            {
                "author": "dee_cares",
                "body": "My mum and I have a code word for \"I need a minute\". It means I stop talking, wait, and don't fuss. It's made outings much calmer for both of us.",
            },
            {
                "author": "willow_mod",
                "body": "The fact that you're asking this question says a lot, Pat. Please also look after yourself. There's a thread on this board about carers needing care too.",
            },
        ],
    },
    {
        "board": "caregivers",
        "title": "Taking Mum to her injection appointments: what helps on the day?",
        "author": "dee_cares",
        "posts": [
            {
                "author": "dee_cares",
                "body": """My mum is 78 and has had blepharospasm for twelve years. I drive her to her injection appointments every three months. The day always seems to wipe her out, and me too if I'm honest.

Any tips for making injection day smoother?""",
            },
            {
                "author": "northside_nell",
                "body": """From someone who goes every three months:

- Sunglasses and a hat in the bag, because clinic lighting can be harsh
- Water and a snack; waits can be long
- Nothing else planned that day. I treat it as a rest day
- Follow the aftercare advice the clinic gives (mine asks me not to rub the area afterwards)
- A little bruising can happen, so don't panic if she has a small mark the next day""",
            },
            {
                "author": "patient_partner_pat",
                "body": "We write down questions together the evening before, and my wife keeps a simple diary of how each cycle went. It means the appointment is about her experience rather than me trying to remember for her.",
            },
            {
                "author": "sunlit_sparrow",
                "body": "From the patient's side: please let her speak for herself in the room, even if it takes a bit longer. You can always add something at the end. It matters more than you'd think.",
            },
            {
                "author": "dee_cares",
                "body": "These are wonderful, thank you. I think I do talk over her sometimes, out of worry. I'll try the questions-the-night-before idea.",
            },
        ],
    },
    {
        "board": "caregivers",
        "title": "Carers need looking after too",
        "author": "harbor_keeper",
        "posts": [
            {
                "author": "harbor_keeper",
                "body": """A gentle reminder to the partners, children and friends who read this board: supporting someone with a long-term condition can be tiring, and your feelings about it are valid too.

Some things carers here have found helpful:

- A regular bit of time that is just yours
- Being honest with your own doctor if you're struggling
- Coming along to a local group, where carers are very welcome
- Posting here. You don't need to have the condition to belong

How are you doing, really?""",
            },
            {
                "author": "dee_cares",
                "body": "Honestly? Tired. I work full time and do most of Mum's appointments. Reading this made me realise I haven't had an afternoon to myself in months. I've asked my brother to take the next appointment.",
            },
            {
                "author": "patient_partner_pat",
                "body": "I went to Nell's coffee group with my wife last month. Sitting with another husband who just *got it* did me more good than I expected.",
            },
        ],
    },
    # ------------------------------------------------------------------
    # local-groups
    # ------------------------------------------------------------------
    {
        "board": "local-groups",
        "title": "Northside coffee meetup: recap and next date",
        "author": "northside_nell",
        "posts": [
            {
                "author": "northside_nell",
                "body": """Thank you to everyone who came on Saturday! Nine of us this time, including two partners.

**What we talked about:**

- Tinted glasses (Rita brought three pairs to try on)
- Getting through the last few weeks of an injection cycle
- How to explain our faces to new people
- One member's experience of surgery for hemifacial spasm

**Practical notes:**

- The library meeting room let us turn off half the overhead lights, which made a big difference
- It's step-free, with parking close by

**Next time:** the second Saturday of next month, same room, 10:30. Send me a private message on the forum for the details. I don't post addresses publicly.

All welcome: spasms, carers, the curious.""",
            },
            {
                "author": "rose_tint_rita",
                "body": "It was my first time at any group and I nearly didn't come in. So glad I did. Nobody stared, and for two hours I didn't have to explain anything.",
            },
            {
                "author": "sunlit_sparrow",
                "body": "Thank you for organising, Nell. The dimmed lights were a lovely touch. I'll bring biscuits next time.",
            },
            {
                "author": "patient_partner_pat",
                "body": "We'll both be there. Thanks for making partners feel welcome.",
            },
        ],
    },
    {
        "board": "local-groups",
        "title": "Starting a small group in your area: what worked for us",
        "author": "northside_nell",
        "posts": [
            {
                "author": "northside_nell",
                "body": """A few people have asked how our coffee group started, so here's what worked for us. It's not the only way!

1. **Venue:** a free or cheap room (libraries and community centres are great), step-free, with lighting you can dim, and away from loud music.
2. **Timing:** mid-morning on a weekend suited most people. Avoid the evening, when a lot of us are at our worst.
3. **Keep it simple:** coffee, name badges with first names or forum names only, and no agenda the first time.
4. **Ground rules:** what's shared in the room stays in the room. We share experiences, not medical advice, and nobody sells anything.
5. **Safety:** meet in a public place and share details privately rather than posting addresses online.
6. **Carers welcome:** partners and family often get as much out of it as we do.

We started with four people. Be patient.""",
            },
            {
                "author": "harbor_keeper",
                "body": "Great list. I'd add: consider an online option for people who can't drive or travel easily. Several of our members join by video call from home.",
            },
            {
                "author": "quiet_cheek_kai",
                "body": "This is really encouraging. There's nothing on the east side of town, so I might try a small one at the community centre near me. I'll post here if it happens.",
            },
            {
                "author": "willow_mod",
                "body": "Please do, Kai! Moderators are happy to help spread the word once you have a date.",
            },
        ],
    },
]
