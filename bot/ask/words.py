"""Word lists /ask reads questions with: filler, typos, phrases, everyday words.

Data only; ``lexicon`` holds the functions that use them.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """A word list written as text, so long lists stay readable."""
    return tuple(text.split())


words_of = _words

# Words that never decide what a question is about: function words, chat filler,
# politeness, and the question words themselves (read separately by ``parse``).
STOPWORDS = frozenset(
    _words(
        """
        a about above again against all almost also am an and any anybody anyone are
        aren arent as at b be because been being both but by c can cant could couldnt d
        dear did didnt do does doesnt doing dont e either else even ever every exactly f
        for from g get gets getting got gotta h had hadnt has hasnt have havent having
        he hed hes her here hers herself him himself his how i id if ill im in into is
        isnt it its itself ive j just k kind kinda know l let lets like ll lol m me mean
        might mine more most much must my myself n no nor not now o of off oh ok okay on
        once only or other our ours out over own p please pls plz q r re really rly s
        said say says she shes should shouldnt so some something such sure t tell than
        that thats the their theirs them themselves then there theres these they theyre
        thing things this those though tho through to too u uh um umm under until up
        upon ur us v ve very w wanna want was wasnt way we well were werent what whats
        when whens where wheres which while who whom whos whose why will with wonder
        wondering would wouldnt x y ya yall yeah yes yo you youd youll your youre yours
        yourself z hey hi hello bot bakerbot btw guys guy anyone idk any ever actually
        basically literally honestly quick question remind recall wait hmm hm ah eh huh
        bruh bro fam pal mate yep nope someone somebody does anybody wat wut wot whta
        waht wich wen whre hw hu curious random fun fact facts info information details
        detail name named called know knows knew remember happen happened
        """
    )
)

#: Tokens typed for a question word; read as that word.
QUESTION_TYPOS: dict[str, tuple[str, ...]] = {
    "wat": ("what",),
    "wut": ("what",),
    "wot": ("what",),
    "waht": ("what",),
    "whta": ("what",),
    "wht": ("what",),
    "whats": ("what", "is"),
    "whos": ("who", "is"),
    "hu": ("who",),
    "whose": ("whose",),
    "wheres": ("where", "is"),
    "whens": ("when", "is"),
    "hows": ("how", "is"),
    "whys": ("why", "is"),
    "wich": ("which",),
    "whcih": ("which",),
    "wen": ("when",),
    "whre": ("where",),
    "hw": ("how",),
    "howmany": ("how", "many"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "isnt": ("is", "not"),
    "wasnt": ("was", "not"),
    "arent": ("are", "not"),
    "werent": ("were", "not"),
    "hasnt": ("has", "not"),
    "havent": ("have", "not"),
    "cant": ("can", "not"),
    "wont": ("will", "not"),
    "u": ("you",),
    "r": ("are",),
    "ur": ("your",),
    "yr": ("year",),
    "yrs": ("years",),
    "yo": ("years", "old"),
    "mins": ("minutes",),
    "min": ("minutes",),
    "hrs": ("hours",),
    "oscars": ("oscar",),
    "noms": ("nominations",),
    "nom": ("nomination",),
    "pic": ("film",),
    "flick": ("film",),
    "flicks": ("film",),
    "vid": ("video",),
    "tv": ("tv",),
    "dp": ("cinematographer",),
    "dop": ("cinematographer",),
    "pd": ("production", "designer"),
    "bday": ("birthday",),
    "mom": ("mother",),
    "mum": ("mother",),
    "mommy": ("mother",),
    "dad": ("father",),
    "daddy": ("father",),
    "gf": ("girlfriend",),
    "bf": ("boyfriend",),
    "ppl": ("people",),
    "abt": ("about",),
    "bc": ("because",),
    "cuz": ("because",),
    "w": ("with",),
}

#: Multi-word phrases read as one idea, matched on token sequences (longest first).
PHRASES: dict[tuple[str, ...], str] = {
    ("working", "title"): "workingtitle",
    ("film", "stock"): "filmstock",
    ("in", "theaters"): "release",
    ("in", "theatres"): "release",
    ("in", "cinemas"): "release",
    ("come", "out"): "release",
    ("came", "out"): "release",
    ("comes", "out"): "release",
    ("coming", "out"): "release",
    ("director", "of", "photography"): "cinematographer",
    ("academy", "award"): "oscar",
    ("academy", "awards"): "oscar",
    ("box", "office"): "boxoffice",
    ("palme", "d", "or"): "palme",
    ("palme", "dor"): "palme",
    ("golden", "palm"): "palme",
    ("high", "school"): "highschool",
    ("film", "school"): "filmschool",
    ("tv", "show"): "series",
    ("tv", "series"): "series",
    ("tv", "shows"): "series",
    ("television", "show"): "series",
    ("television", "series"): "series",
    ("short", "for"): "nickname",
    ("also", "called"): "nickname",
    ("stand", "for"): "nickname",
    ("stands", "for"): "nickname",
    ("sex", "worker"): "sexwork",
    ("sex", "workers"): "sexwork",
    ("sex", "work"): "sexwork",
    ("home", "invasion"): "homeinvasion",
    ("shoot", "days"): "shootday",
    ("shooting", "days"): "shootday",
    ("shoot", "day"): "shootday",
    ("line", "producer"): "lineproducer",
    ("production", "designer"): "designer",
    ("production", "design"): "designer",
    ("first", "time"): "firsttime",
    ("new", "york"): "newyork",
    ("based", "on"): "influence",
    ("drew", "heavily", "from"): "influence",
    ("drew", "from"): "influence",
    ("draws", "from"): "influence",
    ("grew", "out", "of"): "influence",
    ("grew", "out"): "influence",
    ("go", "back"): "return",
    ("went", "back"): "return",
    ("give", "back"): "return",
    ("gives", "back"): "return",
    ("gave", "back"): "return",
    ("work", "on"): "workon",
    ("worked", "on"): "workon",
    ("working", "on"): "workon",
    ("take", "home"): "win",
    ("took", "home"): "win",
    ("takes", "home"): "win",
    ("taking", "home"): "win",
}

#: Irregular forms read as their base word.
GENERIC_WORDS = frozenset(
    _words(
        """
        use used using uses get put look looked try tried seem type sort stuff whole
        part ever actually exist exists happen happened become became becomes end ended
        goes involve involved feature featured appear appeared include included called
        call mean meant thing things much many lot lots long short big small little good
        bad great best worst first last new old young real really main major basically
        famous popular known well-known end begin reason reasons way ways kind supposed
        suppose planned plan going meant able allowed let lets made make makes take
        takes took back away around together along also again still yet already even
        ever often sometimes always usually generally overall exact exactly specific
        specifically certain sure true false right wrong correct different same similar
        other another each every some any few several enough whole entire full half
        pretty quite rather very too so such thing something anything everything nothing
        person people someone anyone everyone nobody somebody everybody place places
        time times year years day days week weeks month months today tonight tomorrow
        yesterday now then later soon early late recently currently originally
        eventually finally apparently probably possibly maybe perhaps definitely
        obviously clearly simply fact facts question questions answer answers info
        information detail details example examples personally himself herself
        themselves own besides except apart instead otherwise go goes went gone going
        attend attended attends come came comes do does did done get got have has had
        give gave given
        """
    )
)

#: Nationalities: capitalised, but never somebody's name.
NATIONALITIES = frozenset(
    _words(
        """
        american british english french italian german russian spanish canadian irish
        scottish australian european asian african japanese chinese korean indian
        mexican armenian uzbek ghanaian danish swedish polish ukrainian brazilian
        """
    )
)
GENERIC_WORDS = GENERIC_WORDS | NATIONALITIES

#: Ideas a question's word may also be answered by, at ``ALTERNATE_CREDIT``.
TYPE_WORDS = frozenset(
    _words(
        """
        year date time day month person actor actress people film series name title
        place where when who number amount many much long old big tall
        """
    )
)

#: Words a statement uses to deny (read for yes/no answers).
NEGATIONS = frozenset(
    _words(
        """
        not no never nothing neither nor without cannot didnt doesnt dont isnt wasnt
        werent arent hasnt havent hadnt wont nobody unexpected unintentionally
        deliberately_not rather instead
        """
    )
)
#: Pairs of ideas that contradict each other.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("open", "shut"),
    ("open", "close"),
    ("plan", "expect"),
    ("day", "night"),
    ("english", "russian"),
    ("win", "nominate"),
    ("win", "lose"),
    ("full", "loose"),
    ("true", "false"),
    ("big", "small"),
    ("expensive", "cheap"),
)
