# Builds internal/dedup/testdata/syndication.jsonl from ECB+ (CC BY 3.0) docs.
import json, random, subprocess, re
random.seed(7)
src = '/work/shared/corpus/clustering/ecbplus-dev/docs.jsonl'
docs = [json.loads(l) for l in open(src)]
def clean(t):
    # drop the URL line ECB+ keeps at the top; undo its tokenised spacing a bit
    lines = [l for l in t.split('\n') if l.strip() and not l.startswith('http')]
    s = '\n'.join(lines)
    s = re.sub(r' ([,.;:!?])', r'\1', s)
    s = re.sub(r"(\w) ' s\b", r"\1's", s)
    return s
def words(t): return len(t.split())
# base docs: shorter ones from distinct events
by_cluster = {}
for d in docs:
    by_cluster.setdefault(d['cluster'], []).append(d)
clusters = sorted(by_cluster, key=lambda c: (int(re.match(r'\d+', c).group()), c))
bases, negs = [], []
for c in clusters:
    cand = [d for d in by_cluster[c] if 120 <= words(clean(d['text'])) <= 260]
    if not cand: continue
    if len(bases) < 12 and c.endswith('plus'):
        bases.append(cand[0])
        # a different article on the same event (other outlet) and one on the
        # sibling event of the same topic: both must NOT group with the base
        if len(cand) > 1: negs.append(cand[1])
        sib = c[:-4]
        sc = [d for d in by_cluster.get(sib, []) if 80 <= words(clean(d['text'])) <= 260]
        if sc: negs.append(sc[0])
def apertium(mode, text):
    return subprocess.run(['apertium', '-u', mode], input=text.encode(), capture_output=True, check=True).stdout.decode().strip()
agencies = [('EFE', 'MADRID (EFE).- '), ('AP', 'NEW YORK (AP) — '), ('Reuters', 'LONDON (Reuters) - '), ('AFP', 'PARIS (AFP) - ')]
sites = ['Daily Courier', 'Metro Post', 'The Evening Star', 'Valley News', 'Coastal Times', 'Globe Wire']
out = []
day = 1
for gi, b in enumerate(bases):
    text = clean(b['text'])
    lines = text.split('\n')
    ti = next((i for i, l in enumerate(lines) if len(l.split()) >= 5 and not re.search(r'\d{4}', l)), 0)
    title, body = lines[ti], lines[:ti] + lines[ti+1:]
    body = [l for l in body if len(l.split()) >= 4]
    g = 'g%02d' % gi
    ag, dl = agencies[gi % len(agencies)]
    pub = '2024-03-%02dT%02d:00:00Z' % (1 + gi, 8)
    orig_url = 'https://wire.example/%s/%d' % (ag.lower(), gi)
    rec = lambda **k: out.append(k)
    # the original: the agency's own copy with its dateline
    rec(id='%s-orig' % g, group=g, variant='original', lang='en', url=orig_url, site=ag, byline='', title=title,
        text=dl + '\n'.join(body), published=pub)
    # another page template: navigation and footer residue around the body
    rec(id='%s-template' % g, group=g, variant='template', lang='en', url='https://metro.example/news/%d' % gi, site=sites[gi % 6],
        byline='By %s staff' % sites[gi % 6], title=title,
        text='Home | News | World\nAdvertisement\n' + dl + '\n\n'.join(body) + '\nShare this article on Facebook Twitter Email\nRelated: More stories from our newsroom\nSource: %s\n' % ag,
        published=pub.replace('T08', 'T10'))
    # trimmed: the first half of the paragraphs
    half = max(2, (len(body) + 1) // 2)
    rec(id='%s-trimmed' % g, group=g, variant='trimmed', lang='en', url='https://valley.example/a/%d' % gi, site=sites[(gi + 1) % 6],
        byline=ag, title=title, text='\n'.join(body[:half]), published=pub.replace('T08', 'T11'))
    # lightly edited: a sentence dropped, some words changed
    ed = [l for i, l in enumerate(body) if i != len(body) // 2 or len(body) < 3]
    ed = '\n'.join(ed)
    for a_, b_ in [(' said ', ' stated '), (' the ', ' the '), (' on ', ' on '), (' was ', ' had been '), (' has ', ' had ')]:
        ed = ed.replace(a_, b_, 2)
    rec(id='%s-edited' % g, group=g, variant='edited', lang='en', url='https://star.example/%d.html' % gi, site=sites[(gi + 2) % 6],
        byline='', title=title, text=ed + '\n(With %s)' % ag, published=pub.replace('T08', 'T12'))
    # re-headlined, canonical link to the agency copy
    rec(id='%s-rehead' % g, group=g, variant='reheadlined', lang='en', url='https://coastal.example/story/%d' % gi,
        canonical=orig_url, site=sites[(gi + 3) % 6], byline='', title='BREAKING: ' + ' '.join(max(body[:3], key=len).split()[:9]) + '...',
        text='\n'.join(body), published=pub.replace('T08', 'T13'))
    # translated: a Spanish edition (made with Apertium eng-spa); the pipeline
    # compares it on its English translation (Apertium spa-eng), stored as text_en
    es = apertium('eng-spa', title + '\n' + '\n'.join(body))
    es_title, es_body = es.split('\n', 1)
    back = apertium('spa-eng', es)
    bt, bb = back.split('\n', 1)
    rec(id='%s-translated' % g, group=g, variant='translated', lang='es', url='https://diario.example/nota/%d' % gi,
        site='Diario Ejemplo', byline='', title=es_title, text=es_body, title_en=bt, text_en=bb, published=pub.replace('T08', 'T15'))
for i, d in enumerate(negs):
    text = clean(d['text'])
    lines = text.split('\n')
    out.append(dict(id='neg%02d' % i, group='neg%02d' % i, variant='same-topic', lang='en', url='https://other.example/%d' % i,
        site=sites[i % 6], byline='', title=lines[0], text='\n'.join(lines[1:]), published='2024-03-%02dT09:00:00Z' % (1 + i // 2)))
with open('/work/main/internal/dedup/testdata/syndication.jsonl', 'w') as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(bases), 'bases', len(negs), 'negatives', len(out), 'docs')
