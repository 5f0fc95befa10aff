"""Demo articles for the forum's information section.

Written by the forum team as demo content and attributed to the fictional
expert accounts defined in ``forum.demo.community``. The medical information
is intended to be accurate, conservative and patient-friendly, and every
reference points to published literature or a public patient-information
page. The articles are general information, not personal medical advice.
This module is pure data.
"""

DEMO_ARTICLES = [
    # ------------------------------------------------------------------
    # 1. What facial spasms are
    # ------------------------------------------------------------------
    {
        "slug": "what-are-facial-spasms",
        "title": "What are facial spasms? Hemifacial spasm and blepharospasm explained",
        "summary": (
            "Hemifacial spasm and blepharospasm are the two conditions most people on this "
            "forum live with. They can look alike, but they have different causes, affect "
            "different parts of the face and are treated in partly different ways. This "
            "overview explains what each condition is, who tends to get it, how it usually "
            "behaves over time, and which other, often harmless, conditions can look similar."
        ),
        "body": """## Two conditions that are easy to confuse

"Facial spasm" is an everyday phrase for muscles in the face tightening or twitching without your control. Two long-lasting conditions account for most of the people who use this forum: **hemifacial spasm** and **blepharospasm**. They are often mentioned together because both cause involuntary closing of the eyes and both are commonly treated with botulinum toxin injections. Underneath, though, they are quite different conditions.

## Hemifacial spasm

### What it looks like

Hemifacial spasm (HFS) causes involuntary, irregular twitches or longer pulls of the muscles on **one side of the face**. Typically:

- It begins around one eye, often as a flicker of the lower eyelid.
- Over months or years it may spread to the cheek, the corner of the mouth and sometimes the neck on the same side.
- The spasms can be brief or sustained, and may force the eye on that side shut.
- They often continue during sleep.
- Some people notice the eyebrow rises while the eye closes, a sign doctors sometimes look for.

Spasms are usually painless, but they can be tiring, interfere with vision on that side and be socially very difficult.

### What causes it

All the muscles of facial expression on one side are controlled by the **facial nerve** (the seventh cranial nerve). In most people with HFS, a small blood vessel lies against the facial nerve where it leaves the brainstem. This contact is thought to irritate the nerve so that it fires abnormally. Less commonly, the nerve is affected by something else, such as a tumour, multiple sclerosis or an earlier injury to the nerve. That is one reason doctors usually arrange a scan.

### Who gets it

HFS is uncommon. Studies have estimated that it affects roughly 10 in every 100,000 people. It most often starts in middle age, is somewhat more common in women, and has been reported more often in some Asian populations. Spasms on both sides of the face are rare.

## Blepharospasm

### What it looks like

Benign essential blepharospasm (BEB) affects the muscles around **both eyes**. It may start with blinking more than usual, eyes that feel gritty, dry or irritated, and sensitivity to light. Over time, some people develop forceful squeezing of the eyelids or episodes where the eyes close and are hard to open.

Common patterns include:

- Symptoms that are worse in bright light, when reading, watching screens or driving, and with stress or tiredness.
- Symptoms that ease with "sensory tricks", such as lightly touching the brow, humming, talking or chewing.
- Normal vision. When sight is affected, it is because the eyelids are closed, not because the eyes themselves are damaged.

The word "benign" only means the condition is not life-threatening. For some people the eyelid closure is severe enough to make reading, driving or walking in public very difficult.

### What causes it

Blepharospasm is a form of **dystonia**, a group of conditions in which the brain's control of muscle activity is disrupted. Researchers now think it involves a network of brain areas rather than a single spot, and that a mix of inherited and other factors is involved. Unlike HFS, it is **not** caused by pressure on a nerve, and brain scans are usually normal. In some people, dystonia later spreads to the lower face, jaw or neck. The combination of blepharospasm with spasms of the lower face and jaw is sometimes called Meige syndrome.

### Who gets it

Blepharospasm usually begins in later middle age, most often in the 50s or 60s, and women are affected more often than men.

## How they compare

- **Sides affected:** HFS affects one side; blepharospasm affects both eyes.
- **Muscles involved:** HFS can involve the whole half of the face; blepharospasm mainly involves the muscles around the eyes.
- **Cause:** HFS is usually linked to a blood vessel contacting the facial nerve; blepharospasm is a dystonia arising from brain networks that control movement.
- **During sleep:** HFS spasms often continue; blepharospasm typically settles.
- **Treatment:** both are commonly treated with botulinum toxin injections; an operation called microvascular decompression is an option for HFS only.

## Conditions that can look similar

Several other problems can cause twitching or eye closure, which is why an assessment by a doctor matters:

- **Eyelid myokymia:** a fine flicker of one eyelid, very common and harmless, often linked to tiredness, caffeine or stress, and it settles on its own.
- **Synkinesis after Bell's palsy:** unwanted linked movements, such as the eye narrowing when smiling, after facial nerve weakness.
- **Tics:** movements that can often be briefly held back and may be preceded by an urge.
- **Apraxia of eyelid opening:** difficulty starting to open the eyes, sometimes seen alongside blepharospasm.
- **Eye surface problems** such as dry eye or blepharitis, which can cause blinking and can also coexist with blepharospasm.

## What to expect over time

Neither condition is life-threatening, but both are usually long-lasting, and lasting improvement without treatment is uncommon. The good news is that effective treatments exist, and most people find a way of managing that lets them get on with life. The other articles in this section explain how the conditions are diagnosed and the main treatment options.

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_rowan_neuro",
        "boards": ["introductions", "diagnosis"],
        "pin_home": True,
        "references": [
            {
                "citation": "Chaudhry N, Srivastava A, Joshi L. Hemifacial spasm: The past, present and future. J Neurol Sci. 2015;356(1-2):27-31.",
                "url": None,
                "doi": "10.1016/j.jns.2015.06.032",
            },
            {
                "citation": "Hallett M, Evinger C, Jankovic J, Stacy M. Update on blepharospasm: report from the BEBRF International Workshop. Neurology. 2008;71(16):1275-1282.",
                "url": None,
                "doi": "10.1212/01.wnl.0000327601.46315.85",
            },
            {
                "citation": "Yaltho TC, Jankovic J. The many faces of hemifacial spasm: differential diagnosis of unilateral facial spasms. Mov Disord. 2011;26(9):1582-1592.",
                "url": None,
                "doi": "10.1002/mds.23692",
            },
            {
                "citation": "National Institute of Neurological Disorders and Stroke (NINDS). Hemifacial Spasm. Patient health information page.",
                "url": "https://www.ninds.nih.gov/health-information/disorders/hemifacial-spasm",
                "doi": None,
            },
            {
                "citation": "MedlinePlus Genetics, U.S. National Library of Medicine. Benign essential blepharospasm.",
                "url": "https://medlineplus.gov/genetics/condition/benign-essential-blepharospasm/",
                "doi": None,
            },
        ],
    },
    # ------------------------------------------------------------------
    # 2. How they are diagnosed
    # ------------------------------------------------------------------
    {
        "slug": "how-facial-spasms-are-diagnosed",
        "title": "How facial spasms are diagnosed: history, examination and imaging",
        "summary": (
            "There is no single blood test for hemifacial spasm or blepharospasm. Diagnosis "
            "rests mainly on a careful history and a neurological examination, supported for "
            "hemifacial spasm by MRI, often with MR angiography, to look for a blood vessel "
            "pressing on the facial nerve and to rule out other causes. This article walks "
            "through each step, explains what scans can and cannot show, and suggests how to "
            "prepare for your appointments."
        ),
        "body": """## Diagnosis starts with your story

For both hemifacial spasm (HFS) and blepharospasm, the most important diagnostic tool is a careful conversation. Your doctor will usually want to know:

- **When it started** and where it began: one eyelid, both eyes, the cheek or the mouth.
- **How it has changed**, including whether it has spread to other parts of the face or the neck.
- **One side or both.** Spasms limited to one side point towards HFS; involvement of both eyes points towards blepharospasm.
- **What makes it worse or better**: bright light, screens, reading, stress, talking, or tricks such as touching the brow.
- **Whether it continues during sleep.** A bed partner may have noticed.
- **Eye symptoms** such as dryness, grittiness or light sensitivity.
- **Past history**, including Bell's palsy, facial injury or surgery, other neurological conditions, and a list of your medicines, because a few medicines can cause involuntary movements.
- **Family history** of dystonia or similar problems.

Spasms have a habit of disappearing in the consulting room. **A short video on your phone** of a typical episode can be extremely helpful.

## The neurological examination

The doctor will watch your face at rest, while blinking, talking and smiling, and while you close your eyes tightly and open them. They will usually also:

- check the strength and sensation of the face,
- look at eye movements and, where relevant, hearing,
- look for signs of dystonia elsewhere, such as the jaw or neck,
- look for features that suggest a different diagnosis.

People with blepharospasm often also see an eye specialist, because dry eye, blepharitis and other surface problems can cause similar symptoms and may need treatment in their own right.

For many people, the diagnosis is clear after the history and examination. Tests are used mainly to confirm the cause of HFS, plan treatment, and rule out less common causes.

## Imaging

### MRI for hemifacial spasm

Most people with suspected HFS are offered an **MRI scan of the brain**. Centres often include:

- **thin, high-resolution slices** through the area where the facial nerve leaves the brainstem, and
- **MR angiography (MRA)**, which shows the blood vessels.

The scan has two purposes. First, it can show a blood vessel touching or compressing the facial nerve near the brainstem, the most common cause of HFS. Second, it helps rule out less common causes such as a tumour, a cyst, a vascular malformation or changes due to multiple sclerosis.

**An important caveat:** contact between a blood vessel and a nerve is also seen in people with no symptoms at all, and in some people with HFS the scan does not clearly show the vessel responsible. Imaging results are therefore always interpreted alongside your symptoms and examination. If surgery is being considered, the neurosurgeon will review the images in detail to help plan the operation.

### CT scanning

If MRI is not possible, for example because of certain implanted devices or severe claustrophobia, a **CT scan**, sometimes with CT angiography, may be used. CT shows less detail of the nerves themselves but can still help rule out some other causes.

### Imaging in blepharospasm

In blepharospasm, routine brain scans are usually normal, because the condition arises from how brain networks function rather than from a visible lesion. Doctors may still request a scan if there are unusual features, such as symptoms on one side only, sudden onset, or other neurological signs.

## Other tests

- **Electromyography (EMG)** records electrical activity in muscles. In HFS it can show a characteristic pattern of muscles firing together, which can help when the diagnosis is uncertain. It is not needed for everyone.
- **Eye tests**, such as tear film assessment, help identify dry eye or other surface problems.
- **Blood tests** are rarely needed but may be used to look for other conditions if the picture is unusual.

## Why diagnosis can take time

Many people on this forum describe waiting months or years for a diagnosis. Common reasons include:

- symptoms that come and go and may vanish during appointments,
- early symptoms that look like dry eye, tiredness or stress,
- these conditions being uncommon, so some clinicians rarely see them.

If you feel your symptoms have not been explained, it is reasonable to ask for referral to a **neurologist with an interest in movement disorders** or a **neuro-ophthalmologist**.

## Preparing for your appointment

- Bring a short timeline of your symptoms and a video if you can.
- List your medicines and relevant past illnesses.
- Write your questions down in order of importance.
- Consider bringing someone with you to take notes.

Useful questions include: *What do you think is causing my symptoms? Do I need a scan, and what are you looking for? What are my treatment options, and what happens next?*

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_marlow_neurosurg",
        "boards": ["diagnosis"],
        "pin_home": False,
        "references": [
            {
                "citation": "Yaltho TC, Jankovic J. The many faces of hemifacial spasm: differential diagnosis of unilateral facial spasms. Mov Disord. 2011;26(9):1582-1592.",
                "url": None,
                "doi": "10.1002/mds.23692",
            },
            {
                "citation": "Lu AY, Yeung JT, Gerrard JL, Michaelides EM, Sekula RF Jr, Bulsara KR. Hemifacial spasm and neurovascular compression. ScientificWorldJournal. 2014;2014:349319.",
                "url": None,
                "doi": "10.1155/2014/349319",
            },
            {
                "citation": "Rosenstengel C, et al. Hemifacial spasm: conservative and surgical treatment options. Dtsch Arztebl Int. 2012;109(41):667-673.",
                "url": None,
                "doi": "10.3238/arztebl.2012.0667",
            },
            {
                "citation": "Defazio G, Hallett M, Jinnah HA, Conte A, Berardelli A. Blepharospasm 40 years later. Mov Disord. 2017;32(4):498-509.",
                "url": None,
                "doi": None,
            },
        ],
    },
    # ------------------------------------------------------------------
    # 3. Botulinum toxin injections
    # ------------------------------------------------------------------
    {
        "slug": "botulinum-toxin-injections",
        "title": "Botulinum toxin injections for facial spasms: what to expect",
        "summary": (
            "Botulinum toxin injections are the most widely used treatment for both "
            "hemifacial spasm and blepharospasm. They relax the overactive muscles for "
            "roughly three months at a time and are then repeated. This article explains how "
            "the injections work, what the evidence says, what a typical treatment cycle "
            "feels like, the common and rare side effects, and how to work with your clinic "
            "to get the most from treatment."
        ),
        "body": """## How the injections work

Botulinum toxin is a purified protein, used in tiny, carefully measured doses. Injected into a muscle, it blocks the release of acetylcholine, the chemical messenger that nerves use to tell muscles to contract. The injected muscle relaxes and the spasms in that area become weaker or stop.

The effect is **temporary**. Over the following weeks and months, the nerve endings form new connections, muscle activity gradually returns, and the injections need to be repeated. The treatment controls symptoms; it does not remove the underlying cause.

## What the evidence says

### Blepharospasm

An American Academy of Neurology guideline update (2016) concluded that onabotulinumtoxinA and incobotulinumtoxinA are probably effective and should be considered, and that abobotulinumtoxinA is possibly effective and may be considered.

### Hemifacial spasm

Formal controlled trials are fewer, and guideline wording has been more cautious. However, decades of clinical experience and many studies support botulinum toxin as a first-line treatment. Reviews report that most people, often quoted as 85 to 95 percent, get moderate or marked relief.

Injections are widely regarded by specialists as the usual first treatment for both conditions.

## What a treatment visit is like

- Injections are given with a very fine needle into several small points around the eyes and, for hemifacial spasm, often into the cheek or around the mouth on the affected side.
- The injections take a few minutes and usually feel like brief stings. Sedation is not normally needed.
- Many clinics start with a modest dose and adjust it over the first few cycles, depending on how you respond.
- Your clinic will give aftercare advice. Common advice includes not rubbing or massaging the injected areas for a while afterwards.

## A typical treatment cycle

Everyone's pattern is a little different, but a common experience is:

1. **The first few days:** little or no change.
2. **About 3 to 7 days:** the effect starts to appear.
3. **Around 2 weeks:** close to the full effect.
4. **Roughly 3 months:** the effect fades and spasms gradually return.

Many people are treated about every three to four months. Clinics often prefer to keep injections at least about 12 weeks apart. If your benefit regularly fades well before your next appointment, tell your clinic; adjusting the dose or the injection sites may help.

## Possible side effects

### Common and usually temporary

Most side effects are mild and wear off as the toxin's effect fades. They can include:

- bruising, swelling or soreness at injection sites,
- a **drooping upper eyelid** (ptosis),
- dry eyes, or watery eyes,
- difficulty closing the eye fully, which can leave the eye surface exposed,
- blurred or **double vision**,
- for injections in the lower face, a lopsided smile, weakness of the lips or occasional dribbling.

### When to get help

Contact your clinic if you have double vision that does not settle, cannot close your eye properly, or develop a painful or red eye. Rarely, the toxin's effect can spread beyond the injected area. **Seek urgent medical help if you have difficulty swallowing, speaking or breathing.**

Make sure your clinic knows about all your medicines, and about any pregnancy, breastfeeding or neuromuscular condition, before treatment.

## Different products

Several botulinum toxin products are available, including onabotulinumtoxinA, incobotulinumtoxinA and abobotulinumtoxinA (type A toxins), and rimabotulinumtoxinB (a type B toxin). Availability and approved uses vary between countries. **Their doses are measured in units that are not interchangeable**, so switching between products should only happen under the supervision of your injector.

## Getting the most from treatment

- **Keep a simple diary.** Note when the effect starts, how good it gets, when it fades, and any side effects. A score out of ten each day works well.
- **Record a short video** of spasms when the effect is wearing off.
- **Bring your notes to each appointment** and say which areas return first.
- **Combine approaches.** Treating dry eye, using tinted lenses, and planning demanding activities for the best weeks of the cycle can all help.

## When injections seem to work less well

If the benefit seems smaller than before, possible reasons include the dose or injection pattern needing adjustment, spasms spreading to other muscles, apraxia of eyelid opening (difficulty starting to open the eyes) alongside blepharospasm, or, uncommonly, the body developing antibodies that block the toxin. Your specialist can look into these. Other options, including surgery for hemifacial spasm, are covered in other articles in this section.

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_rowan_neuro",
        "boards": ["treatments", "coping"],
        "pin_home": True,
        "references": [
            {
                "citation": "Simpson DM, Hallett M, Ashman EJ, et al. Practice guideline update summary: Botulinum neurotoxin for the treatment of blepharospasm, cervical dystonia, adult spasticity, and headache: Report of the Guideline Development Subcommittee of the American Academy of Neurology. Neurology. 2016;86(19):1818-1826.",
                "url": None,
                "doi": "10.1212/WNL.0000000000002560",
            },
            {
                "citation": "Simpson DM, et al. Assessment: Botulinum neurotoxin for the treatment of movement disorders (an evidence-based review): report of the Therapeutics and Technology Assessment Subcommittee of the American Academy of Neurology. Neurology. 2008;70(19):1699-1706.",
                "url": None,
                "doi": "10.1212/01.wnl.0000311389.26145.95",
            },
            {
                "citation": "Hallett M, Albanese A, Dressler D, et al. Evidence-based review and assessment of botulinum neurotoxin for the treatment of movement disorders. Toxicon. 2013;67:94-114.",
                "url": None,
                "doi": None,
            },
            {
                "citation": "Rosenstengel C, et al. Hemifacial spasm: conservative and surgical treatment options. Dtsch Arztebl Int. 2012;109(41):667-673.",
                "url": None,
                "doi": "10.3238/arztebl.2012.0667",
            },
        ],
    },
    # ------------------------------------------------------------------
    # 4. Oral medications and physical therapy
    # ------------------------------------------------------------------
    {
        "slug": "oral-medications-and-physical-therapy",
        "title": "Oral medications, physical therapy and other supportive treatments",
        "summary": (
            "Tablets and physical approaches play a smaller role than botulinum toxin "
            "injections in hemifacial spasm and blepharospasm, and the evidence for them is "
            "limited. Some people still find them useful, particularly alongside injections. "
            "This article explains which medicines are sometimes tried, their common side "
            "effects and safety points, what physical therapy and relaxation techniques can "
            "and cannot do, and the practical eye-care and light-management measures that "
            "many people with blepharospasm find helpful."
        ),
        "body": """## Where tablets fit in

For both hemifacial spasm (HFS) and blepharospasm, botulinum toxin injections are usually the first treatment. Oral medicines may be considered when:

- injections are not available or not wanted,
- injections help only partly, or
- symptoms are mild or very early.

The research on tablets for facial spasms consists mostly of small or uncontrolled studies. Some people notice a modest benefit; many notice little. Side effects are common, especially in older adults, so medicines are usually started at a low dose and increased slowly.

## Medicines that are sometimes tried

### For hemifacial spasm

Doctors have tried several medicines that calm nerve or muscle activity, including:

- **anticonvulsants** such as carbamazepine or gabapentin,
- **clonazepam**, a benzodiazepine,
- **baclofen**, a muscle relaxant.

Results are generally modest, and patient-information sources such as the US National Institute of Neurological Disorders and Stroke note that drug therapy is generally not effective for HFS compared with injections or surgery. Common side effects include drowsiness, dizziness and unsteadiness. Some medicines, such as carbamazepine, need blood test monitoring and can interact with other drugs.

### For blepharospasm

Because blepharospasm is a form of dystonia, the medicines tried are those used more widely in dystonia:

- **Anticholinergic medicines**, such as trihexyphenidyl. Possible side effects include dry mouth, blurred vision, constipation, difficulty passing urine, and confusion or memory problems, particularly in older people.
- **Benzodiazepines**, such as clonazepam. These can cause drowsiness and unsteadiness, increase the risk of falls, and lead to dependence.
- **Baclofen**, which can cause drowsiness and weakness.

Specialists occasionally try other medicines in selected situations. Overall, benefit from tablets in blepharospasm tends to be partial and inconsistent.

## Safety points for any medicine

- **Do not stop benzodiazepines or baclofen suddenly.** Stopping abruptly can cause withdrawal effects; any change should be planned with your prescriber.
- Tell every doctor and pharmacist about all your medicines, including over-the-counter products and supplements.
- Ask how long to try a medicine before deciding whether it helps, and what to do if side effects appear.
- Let your prescriber know about pregnancy plans, driving needs, and any history of falls or memory problems.

## Physical therapy, exercises and relaxation

### What the evidence shows

It is natural to hope that the right exercise could retrain the face. So far, **no exercise or physical therapy programme has been shown in good-quality trials to cure or reliably reduce** hemifacial spasm or blepharospasm. Be cautious about products or courses that promise this.

### What can still help

That does not mean physical and psychological approaches have no place. They can help you *cope*, and some have clearer roles:

- **Relaxation, paced breathing and stress management** do not switch spasms off, but stress commonly makes symptoms worse, and lowering it can make days more manageable.
- **Talking therapies**, such as cognitive behavioural therapy, can help with anxiety, low mood and social avoidance linked to a visible condition.
- **Physiotherapy** may be helpful if dystonia also affects the neck or jaw, where physical approaches are more established.
- **Sensory tricks**, such as lightly touching the brow, humming or chewing gum, help some people with blepharospasm for short periods.

If you have injections, follow your clinic's aftercare advice, which often includes not rubbing or massaging the injected area for a while.

## Eye care and managing light

For people with blepharospasm, some of the most practical help is non-drug:

- **Treat the eye surface.** Dry eye and blepharitis are common and can worsen blinking and discomfort. An eye specialist can advise on lubricating drops, lid hygiene and other treatments.
- **Tinted lenses.** In a small randomised crossover study, lenses with an FL-41 rose tint reduced light sensitivity and blink rate in people with benign essential blepharospasm compared with grey-tinted lenses. They do not help everyone, and they do not replace other treatment, but many people find them worth trying.
- **Light and screens.** Wraparound sunglasses and a brimmed hat outdoors, softer indoor lighting, screen brightness and contrast adjustments, larger text and regular breaks can all reduce triggers.

## Complementary therapies

People try many complementary approaches, including acupuncture, supplements and special diets. There is not enough good evidence to recommend them for facial spasms. If you decide to try something, tell your doctor, especially about supplements, which can interact with medicines, and be wary of high costs or promises of a cure.

## Questions to ask your doctor

- Is a medicine likely to add anything to my current treatment?
- What side effects should I look out for, and what should I do if they happen?
- How long should I try it, and how will we judge whether it is working?
- Are there eye-care or lifestyle measures that could help me?

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_rowan_neuro",
        "boards": ["treatments", "coping"],
        "pin_home": False,
        "references": [
            {
                "citation": "Jankovic J. Medical treatment of dystonia. Mov Disord. 2013;28(7):1001-1012.",
                "url": None,
                "doi": "10.1002/mds.25552",
            },
            {
                "citation": "Jinnah HA. Medical and surgical treatments for dystonia. Neurol Clin. 2020;38(2):325-348.",
                "url": None,
                "doi": "10.1016/j.ncl.2020.01.003",
            },
            {
                "citation": "Blackburn MK, Lamb RD, Digre KB, et al. FL-41 tint improves blink frequency, light sensitivity, and functional limitations in patients with benign essential blepharospasm. Ophthalmology. 2009;116(5):997-1001.",
                "url": None,
                "doi": "10.1016/j.ophtha.2008.12.031",
            },
            {
                "citation": "National Institute of Neurological Disorders and Stroke (NINDS). Hemifacial Spasm. Patient health information page.",
                "url": "https://www.ninds.nih.gov/health-information/disorders/hemifacial-spasm",
                "doi": None,
            },
        ],
    },
    # ------------------------------------------------------------------
    # 5. Surgery and research
    # ------------------------------------------------------------------
    {
        "slug": "surgery-and-research",
        "title": "Surgery and research: microvascular decompression, deep brain stimulation and what is on the horizon",
        "summary": (
            "Microvascular decompression is an established operation that can relieve "
            "hemifacial spasm in most people by moving a blood vessel away from the facial "
            "nerve, but it is brain surgery with real risks. Blepharospasm is not caused by "
            "nerve compression, so surgical options for it are different and more limited. "
            "This article explains microvascular decompression, eyelid surgery and deep brain "
            "stimulation, and gives an honest account of where research, including gene "
            "therapy, currently stands."
        ),
        "body": """## Microvascular decompression for hemifacial spasm

### What the operation involves

Microvascular decompression (MVD) treats the most common cause of hemifacial spasm (HFS): a blood vessel pressing on the facial nerve where it leaves the brainstem.

- It is done under general anaesthetic.
- The surgeon makes a small opening in the skull behind the ear.
- Using an operating microscope, and sometimes an endoscope, the surgeon finds the vessel or vessels in contact with the facial nerve, moves them away, and places a small cushion of material, often Teflon, between the vessel and the nerve.
- The function of the facial nerve and hearing is commonly monitored during surgery.
- Hospital stays are usually a few days. Tiredness and headache are common for some weeks, and many people need several weeks before returning to work.

### How well it works

A systematic review of 22 studies including more than 5,600 patients found that spasms completely resolved in about **91 percent** of people over a median follow-up of about three years, with recurrence in about 2 percent. A later review of more than 80 publications reported total relief in **85 to 90 percent** in most series.

Relief is not always immediate. In many series, around a third of people improve only gradually, sometimes over several months and occasionally up to about a year. Surgeons therefore usually advise patience before judging the result.

### Risks

MVD is generally considered safe in experienced hands, but it is brain surgery. In the systematic review mentioned above:

- **temporary** facial weakness occurred in about 9.5 percent, temporary hearing problems in about 3 percent, and cerebrospinal fluid leak in about 1.4 percent;
- **permanent** hearing loss occurred in about 2.3 percent and permanent facial weakness in about 0.9 percent;
- stroke and death were each reported in fewer than 0.1 percent.

Results and complication rates vary between centres, and the surgeon's experience matters.

### Who might consider it

MVD may be discussed with people who have typical HFS, imaging that fits with neurovascular compression, and general health that allows surgery, particularly if injections are not giving enough benefit or if they would prefer a treatment that aims at the cause. Many people remain happy with injections for years. This is a personal decision, made with a neurosurgical team after a full discussion of benefits and risks.

## Surgery for blepharospasm

MVD is **not** used for blepharospasm, because blepharospasm is not caused by a blood vessel pressing on a nerve. For a small number of people who do not get enough benefit from injections, eyelid specialists may discuss:

- **myectomy**, an operation to remove part of the muscles that squeeze the eyelids closed, and
- procedures for drooping eyelids or excess eyelid skin that can make symptoms worse.

These operations are performed by oculoplastic surgeons, and their benefits and trade-offs need careful individual discussion.

## Deep brain stimulation

Deep brain stimulation (DBS) involves placing thin electrodes in deep structures of the brain, most often the globus pallidus internus or the subthalamic nucleus, connected to a battery-powered stimulator under the skin of the chest.

- DBS is an established treatment for some other forms of dystonia.
- For blepharospasm and Meige syndrome, evidence comes from **small, mostly uncontrolled studies** and pooled analyses of them. One individual-patient analysis of 115 people from 23 studies reported significant improvement in dystonia rating scores, but the studies were small and varied, and there are no large randomised trials for blepharospasm specifically.
- Risks include bleeding, infection, hardware problems, and effects on speech or mood. Stimulation needs repeated programming visits, and benefit may take months to develop.
- DBS is generally reserved for severe, disabling symptoms that have not responded adequately to other treatments, and is offered only at specialist centres.
- DBS is **not** a treatment for hemifacial spasm.

## Gene therapy: where things really stand

News reports about gene therapy for neurological conditions can raise understandable hopes, so it is worth being clear:

- There is **no approved gene therapy** for hemifacial spasm or blepharospasm, and we are not aware of any being tested in people with these conditions.
- Hemifacial spasm is usually a mechanical problem, caused by a blood vessel contacting the facial nerve.
- Most people with blepharospasm do not have a single identifiable gene causing it. Researchers believe several genetic and non-genetic factors combine.
- Genetic research in dystonia is valuable for understanding how movement circuits in the brain go wrong. Any gene-based treatment for facial spasms would be many years away and would need careful clinical trials.

Please be cautious of clinics offering "gene" or "stem cell" treatments for facial spasms outside registered clinical trials.

## Other research directions

Active areas of research include longer-acting botulinum toxin formulations, better imaging of the relationship between nerves and blood vessels, studies of the brain networks involved in blepharospasm, and non-invasive brain stimulation. Most of these remain experimental or are being studied in small groups of people.

## Reading research news

When you see a headline, it helps to ask: Was the study done in people? How many? Was it about my condition? Has it been published in a peer-reviewed journal? Your specialist can help you judge whether a study is relevant to you.

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_marlow_neurosurg",
        "boards": ["treatments", "research"],
        "pin_home": False,
        "references": [
            {
                "citation": "Miller LE, Miller VM. Safety and effectiveness of microvascular decompression for treatment of hemifacial spasm: a systematic review. Br J Neurosurg. 2012;26(4):438-444.",
                "url": None,
                "doi": "10.3109/02688697.2011.641613",
            },
            {
                "citation": "Sindou M, Mercier P. Microvascular decompression for hemifacial spasm: Outcome on spasm and complications. A review. Neurochirurgie. 2018;64(2):106-116.",
                "url": None,
                "doi": "10.1016/j.neuchi.2018.01.001",
            },
            {
                "citation": "Wang X, Zhang Z, Mao Z, Yu X. Deep brain stimulation for Meige syndrome: a meta-analysis with individual patient data. J Neurol. 2019.",
                "url": None,
                "doi": "10.1007/s00415-019-09462-2",
            },
            {
                "citation": "Defazio G, Hallett M, Jinnah HA, Conte A, Berardelli A. Blepharospasm 40 years later. Mov Disord. 2017;32(4):498-509.",
                "url": None,
                "doi": None,
            },
            {
                "citation": "Jinnah HA. Medical and surgical treatments for dystonia. Neurol Clin. 2020;38(2):325-348.",
                "url": None,
                "doi": "10.1016/j.ncl.2020.01.003",
            },
        ],
    },
    # ------------------------------------------------------------------
    # 6. Living with facial spasms and finding support
    # ------------------------------------------------------------------
    {
        "slug": "living-with-facial-spasms",
        "title": "Living with facial spasms and finding support",
        "summary": (
            "Facial spasms affect far more than the muscles involved. Studies show that "
            "hemifacial spasm and blepharospasm can reduce quality of life through "
            "embarrassment, anxiety, low mood and practical limits on reading, driving and "
            "work, and that effective treatment can improve it. This article gathers "
            "practical everyday strategies, ideas for talking about your condition, advice on "
            "looking after your mental health, and ways to find support, including for "
            "family members and carers."
        ),
        "body": """## More than a twitch

If you live with hemifacial spasm or blepharospasm, you already know that the effects reach well beyond the face. Research supports this. Studies of health-related quality of life have found that both conditions can affect wellbeing, social life and mental health, not just physical function. A study developing a questionnaire for hemifacial spasm also found that quality of life improved with botulinum toxin treatment.

Common experiences include:

- embarrassment or self-consciousness, especially in conversation,
- anxiety about spasms happening in public,
- low mood or frustration,
- avoiding social situations, reading, driving or screens,
- tiredness from constantly managing symptoms.

These feelings are common and understandable, and there is help for them as well as for the spasms themselves.

## Everyday strategies

Everyone is different, so treat these as ideas to try rather than rules.

### Light and screens

- Wear wraparound sunglasses and a brimmed hat outdoors. Some people with blepharospasm find FL-41 tinted lenses helpful indoors.
- Reduce harsh overhead lighting at home where you can; use lamps instead.
- On screens, try lower brightness, dark mode, larger text and regular breaks.

### Stress, sleep and energy

- Stress and tiredness commonly make symptoms worse. Regular sleep, pacing demanding tasks, and simple relaxation or breathing exercises can make days more manageable.
- Plan important or demanding activities for the times you are usually at your best, such as the middle weeks of an injection cycle.

### Reading, driving and getting around

- Audiobooks, text-to-speech tools and larger print can keep reading enjoyable.
- **Driving:** talk to your doctor about whether driving is safe for you, and check the rules where you live. Do not drive if spasms could close your eyes at the wheel. Some people drive only at certain times of day or during their best weeks.
- Sensory tricks, such as touching the brow or humming, help some people get through a short task like crossing a road or reading a label.

### At work

- Adjustments such as softer lighting, screen filters, flexible breaks or changes to tasks may help.
- Whether and how much to tell your employer is your choice. Some people find it makes adjustments easier to arrange.

## Talking about it

Having a short, simple explanation ready can take much of the stress out of other people's reactions. For example:

> "I have a nerve condition that makes my face twitch. It isn't painful and I'm having it treated."

> "My eyes sometimes close on their own. It's a neurological condition. Give me a moment and I'll be fine."

Many people find that others are more understanding than they feared, and that telling a few trusted people makes the condition feel less like a secret.

## Looking after your mental health

- Tell your doctor if you feel persistently low, anxious or are avoiding things you used to enjoy. These are common and treatable.
- Talking therapies, such as cognitive behavioural therapy, can help with anxiety and social avoidance linked to a visible condition.
- **If you ever have thoughts of harming yourself, seek help straight away** from emergency services, a crisis line or your doctor.

## Finding support

### Peer support

Talking with people who share your experience can reduce isolation and give practical tips you won't find in a leaflet. Forums like this one, and local in-person or online groups, offer that. Remember that peer experience is not medical advice: what worked for one person may not suit you, so take ideas back to your own care team.

### Patient organisations

National patient organisations for blepharospasm and dystonia, such as the Benign Essential Blepharospasm Research Foundation and the Dystonia Medical Research Foundation, provide information, newsletters and, in some areas, support groups. Reliable public health information is also available from sources such as the US National Institute of Neurological Disorders and Stroke and MedlinePlus.

### Using this forum safely

- Use a pseudonym and avoid sharing details that could identify you.
- Be cautious about anyone selling treatments or products.
- Check information with your doctor before changing any treatment.

## For family, friends and carers

- **Ask before helping.** "Would you like me to read that?" preserves choice and dignity.
- Agree a simple signal for "I need a minute" or "please help".
- Let the person speak for themselves at appointments, and help prepare questions beforehand.
- Look after yourself too. Caring is tiring, and carers are welcome in our groups and on the caregivers board.

## Building your care team

Depending on your condition, your team may include a neurologist with an interest in movement disorders, a neuro-ophthalmologist or oculoplastic surgeon, a neurosurgeon for people with hemifacial spasm considering surgery, your family doctor, and a counsellor or psychologist. You are an important member of that team: your observations, diary and questions shape your care.

This article is general information and does not replace advice from your own doctor.""",
        "author": "dr_rowan_neuro",
        "boards": ["coping", "caregivers", "local-groups"],
        "pin_home": True,
        "references": [
            {
                "citation": "Reimer J, Gilg K, Karow A, Esser J, Franke GH. Health-related quality of life in blepharospasm or hemifacial spasm. Acta Neurol Scand. 2005;111:64-70.",
                "url": None,
                "doi": None,
            },
            {
                "citation": "Tan EK, Fook-Chong S, Lum SY, Lim E. Botulinum toxin improves quality of life in hemifacial spasm: validation of a questionnaire (HFS-30). J Neurol Sci. 2004;219:151-155.",
                "url": None,
                "doi": None,
            },
            {
                "citation": "Blackburn MK, Lamb RD, Digre KB, et al. FL-41 tint improves blink frequency, light sensitivity, and functional limitations in patients with benign essential blepharospasm. Ophthalmology. 2009;116(5):997-1001.",
                "url": None,
                "doi": "10.1016/j.ophtha.2008.12.031",
            },
            {
                "citation": "Hallett M, Evinger C, Jankovic J, Stacy M. Update on blepharospasm: report from the BEBRF International Workshop. Neurology. 2008;71(16):1275-1282.",
                "url": None,
                "doi": "10.1212/01.wnl.0000327601.46315.85",
            },
            {
                "citation": "MedlinePlus Genetics, U.S. National Library of Medicine. Benign essential blepharospasm.",
                "url": "https://medlineplus.gov/genetics/condition/benign-essential-blepharospasm/",
                "doi": None,
            },
        ],
    },
]
