"""Demo treatment experience reports (fictional, written by the forum team; pure data).

Enough members report on botulinum toxin injections for its page to show a summary. Their words
describe invented experiences only, never advice.
"""

DEMO_EXPERIENCES = [
    {"author": "blinking_bea", "treatment": "botulinum-toxin", "condition": "blepharospasm", "dose": "Around 25 units each side",
     "frequency": "Every 12 weeks", "weeks": 10, "effects": ["dry_eye", "drooping_eyelid"], "rating": 5, "shared": True,
     "story": "The first round barely helped; the second, with the dose spread wider, gave me ten good weeks. "
              "I keep an **injection diary** so I can tell my neurologist exactly when it wears off."},
    {"author": "harbor_keeper", "treatment": "botulinum-toxin", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Every 3 months", "weeks": 11, "effects": ["facial_weakness"], "rating": 4, "shared": True,
     "story": "Ten years of injections. A slightly lopsided smile for the first fortnight is the price, and for me it is worth it."},
    {"author": "left_side_lou", "treatment": "botulinum-toxin", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Every 3 to 4 months", "weeks": 8, "effects": ["drooping_eyelid", "injection_site"], "rating": 4, "shared": False,
     "story": "Works, but the last few weeks before the next appointment are long."},
    {"author": "rose_tint_rita", "treatment": "botulinum-toxin", "condition": "blepharospasm", "dose": None,
     "frequency": "Every 10 weeks", "weeks": 9, "effects": ["dry_eye"], "rating": 5, "shared": False, "story": ""},
    {"author": "mvd_marco", "treatment": "botulinum-toxin", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Every 3 months", "weeks": 6, "effects": ["facial_weakness", "drooping_eyelid"], "rating": 2, "shared": True,
     "story": "Relief got shorter over the years, which is part of why I chose surgery in the end."},
    {"author": "twitchy_theo", "treatment": "botulinum-toxin", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Every 12 weeks", "weeks": 12, "effects": [], "rating": 4, "shared": False, "story": ""},
    {"author": "mvd_marco", "treatment": "microvascular-decompression", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Once", "weeks": None, "effects": ["hearing"], "rating": 5, "shared": True,
     "story": "Spasm-free since the operation a year ago. Slight hearing change on that side, which my surgeon had warned about."},
    {"author": "quiet_cheek_kai", "treatment": "carbamazepine", "condition": "hemifacial_spasm", "dose": None,
     "frequency": "Twice a day", "weeks": 0, "effects": ["drowsiness", "dizziness"], "rating": 2, "shared": False, "story": ""},
]

# The expert article each treatment's page points to (article slugs from forum/demo/articles.py).
DEMO_TREATMENT_ARTICLES = {
    "botulinum-toxin": "botulinum-toxin-injections",
    "carbamazepine": "oral-medications-and-physical-therapy",
    "clonazepam": "oral-medications-and-physical-therapy",
    "baclofen": "oral-medications-and-physical-therapy",
    "gabapentin": "oral-medications-and-physical-therapy",
    "physical-therapy": "oral-medications-and-physical-therapy",
    "microvascular-decompression": "surgery-and-research",
    "deep-brain-stimulation": "surgery-and-research",
}
