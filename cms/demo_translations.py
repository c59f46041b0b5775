"""The demo's pages in Welsh, Urdu, Bengali and Punjabi: the home page, the
statements index and the founding statement. Written by the site's developers
for the demo (see docs/translating.md: not yet checked by native speakers)."""

import json

from django.db import transaction

from cms.models import HomePage, StatementIndexPage, StatementPage
from cms.services import page_translation_publish


def _stream(*blocks) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _p(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def _h(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


HOME = {
    "cy": {
        "title": "No Ceasefire No Vote",
        "headline": "Dim cadoediad, dim pleidlais",
        "intro": "<p>Cynghorwyr, ymgeiswyr ac ymgyrchwyr annibynnol yn gofyn un "
        "cwestiwn i bob ymgeisydd seneddol: a wnewch chi alw am gadoediad yn "
        "Gaza?</p>",
        "call_to_action_text": "Dewch i sesiwn gynadledda",
        "search_description": "Rhwydwaith o gynghorwyr, ymgeiswyr ac ymgyrchwyr "
        "annibynnol.",
        "signup": (
            "Cael y newyddion",
            "Newyddion am ddatganiadau a sesiynau "
            "cynadledda, ychydig o weithiau'r mis.",
            "Cofrestru",
        ),
    },
    "ur": {
        "title": "No Ceasefire No Vote",
        "headline": "جنگ بندی نہیں، تو ووٹ نہیں",
        "intro": "<p>آزاد کونسلر، امیدوار اور مہم چلانے والے ہر پارلیمانی امیدوار "
        "سے ایک سوال پوچھ رہے ہیں: کیا آپ غزہ میں جنگ بندی کا مطالبہ کریں گے؟</p>",
        "call_to_action_text": "کانفرنس کے کسی اجلاس میں آئیں",
        "search_description": "آزاد کونسلروں، امیدواروں اور مہم چلانے والوں کا "
        "نیٹ ورک۔",
        "signup": (
            "تازہ خبریں حاصل کریں",
            "بیانات اور کانفرنس اجلاسوں کی خبریں، مہینے میں چند بار۔",
            "سائن اپ کریں",
        ),
    },
    "bn": {
        "title": "No Ceasefire No Vote",
        "headline": "যুদ্ধবিরতি নেই, ভোটও নেই",
        "intro": "<p>স্বতন্ত্র কাউন্সিলর, প্রার্থী ও প্রচারকর্মীরা প্রত্যেক সংসদ "
        "প্রার্থীকে একটি প্রশ্ন করছেন: আপনি কি গাজায় যুদ্ধবিরতির দাবি করবেন?</p>",
        "call_to_action_text": "একটি সম্মেলন অধিবেশনে আসুন",
        "search_description": "স্বতন্ত্র কাউন্সিলর, প্রার্থী ও প্রচারকর্মীদের একটি নেটওয়ার্ক।",
        "signup": (
            "হালনাগাদ খবর পান",
            "বিবৃতি ও সম্মেলন অধিবেশনের খবর, মাসে কয়েকবার।",
            "সাইন আপ করুন",
        ),
    },
    "pa": {
        "title": "No Ceasefire No Vote",
        "headline": "ਜੰਗਬੰਦੀ ਨਹੀਂ, ਤਾਂ ਵੋਟ ਨਹੀਂ",
        "intro": "<p>ਆਜ਼ਾਦ ਕੌਂਸਲਰ, ਉਮੀਦਵਾਰ ਅਤੇ ਮੁਹਿੰਮਕਾਰ ਹਰ ਸੰਸਦੀ ਉਮੀਦਵਾਰ ਨੂੰ "
        "ਇੱਕ ਸਵਾਲ ਪੁੱਛ ਰਹੇ ਹਨ: ਕੀ ਤੁਸੀਂ ਗਾਜ਼ਾ ਵਿੱਚ ਜੰਗਬੰਦੀ ਦੀ ਮੰਗ ਕਰੋਗੇ?</p>",
        "call_to_action_text": "ਕਿਸੇ ਕਾਨਫਰੰਸ ਸੈਸ਼ਨ ਵਿੱਚ ਆਓ",
        "search_description": "ਆਜ਼ਾਦ ਕੌਂਸਲਰਾਂ, ਉਮੀਦਵਾਰਾਂ ਅਤੇ ਮੁਹਿੰਮਕਾਰਾਂ ਦਾ ਇੱਕ ਨੈੱਟਵਰਕ।",
        "signup": (
            "ਤਾਜ਼ਾ ਖ਼ਬਰਾਂ ਲਓ",
            "ਬਿਆਨਾਂ ਅਤੇ ਕਾਨਫਰੰਸ ਸੈਸ਼ਨਾਂ ਦੀਆਂ ਖ਼ਬਰਾਂ, ਮਹੀਨੇ ਵਿੱਚ ਕੁਝ ਵਾਰ।",
            "ਸਾਈਨ ਅੱਪ ਕਰੋ",
        ),
    },
}

STATEMENTS_INDEX = {
    "cy": (
        "Datganiadau",
        "<p>Beth mae'r rhwydwaith yn ei ddweud, a phwy a'i llofnododd.</p>",
    ),
    "ur": ("بیانات", "<p>نیٹ ورک کیا کہتا ہے، اور اس پر کس نے دستخط کیے۔</p>"),
    "bn": ("বিবৃতি", "<p>নেটওয়ার্ক কী বলে, এবং কারা তাতে স্বাক্ষর করেছেন।</p>"),
    "pa": ("ਬਿਆਨ", "<p>ਨੈੱਟਵਰਕ ਕੀ ਕਹਿੰਦਾ ਹੈ, ਅਤੇ ਇਸ 'ਤੇ ਕਿਸ ਨੇ ਦਸਤਖ਼ਤ ਕੀਤੇ।</p>"),
}

STATEMENT = {
    "cy": {
        "title": "Pam rydym yn trefnu",
        "summary": "Mae cynghorwyr, ymgeiswyr ac ymgyrchwyr yn cytuno ar un prawf "
        "i unrhyw un sy'n gofyn am ein pleidlais.",
        "body": [
            _p(
                "Rydym yn gynghorwyr, yn ymgeiswyr ac yn ymgyrchwyr o lawer o drefi a "
                "dinasoedd. Gadawodd rhai ohonom ein pleidiau; ni ymunodd rhai ohonom "
                "â phlaid erioed. Yr hyn sy'n dod â ni ynghyd yw prawf syml i unrhyw "
                "un sy'n gofyn am ein pleidlais: a fyddant yn galw am gadoediad yn "
                "Gaza?"
            ),
            _h("Beth rydym yn ei adeiladu"),
            _p(
                "Rhwydwaith sy'n helpu pobl sy'n cytuno ar y prawf hwnnw i ddod o hyd "
                "i'w gilydd, rhannu'r hyn sy'n gweithio ar garreg y drws ac yn siambr "
                "y cyngor, a sefyll gyda'i gilydd mewn etholiadau yn lle yn erbyn ei "
                "gilydd."
            ),
            _h("Sut i gymryd rhan"),
            _p(
                "Dewch i un o'n sesiynau cynadledda, dywedwch wrthym am yr ymgeiswyr "
                "yn eich ardal, a gofynnwch i'ch cynghorwyr eich hun beth yw eu "
                "safbwynt."
            ),
        ],
    },
    "ur": {
        "title": "ہم کیوں منظم ہو رہے ہیں",
        "summary": "کونسلر، امیدوار اور مہم چلانے والے ہر اس شخص کے لیے ایک کسوٹی "
        "پر متفق ہیں جو ہمارا ووٹ مانگے۔",
        "body": [
            _p(
                "ہم بہت سے قصبوں اور شہروں کے کونسلر، امیدوار اور مہم چلانے والے ہیں۔ "
                "ہم میں سے کچھ نے اپنی جماعتیں چھوڑ دیں؛ "
                "کچھ کبھی کسی جماعت میں شامل ہی "
                "نہیں ہوئے۔ ہمیں جو چیز اکٹھا کرتی ہے وہ ہر ووٹ مانگنے والے کے لیے ایک "
                "سادہ کسوٹی ہے: کیا وہ غزہ میں جنگ بندی کا مطالبہ کریں گے؟"
            ),
            _h("ہم کیا بنا رہے ہیں"),
            _p(
                "ایک ایسا نیٹ ورک جس کے ذریعے اس کسوٹی پر متفق لوگ ایک دوسرے کو تلاش "
                "کریں، دروازے دروازے اور کونسل کے ایوان میں کارآمد تجربات بانٹیں، اور "
                "انتخابات میں ایک دوسرے کے خلاف نہیں بلکہ ساتھ کھڑے ہوں۔"
            ),
            _h("حصہ کیسے لیں"),
            _p(
                "ہمارے کسی کانفرنس اجلاس میں آئیں، "
                "ہمیں اپنے علاقے کے امیدواروں کے بارے "
                "میں بتائیں، اور اپنے کونسلروں سے خود پوچھیں کہ وہ کہاں کھڑے ہیں۔"
            ),
        ],
    },
    "bn": {
        "title": "আমরা কেন সংগঠিত হচ্ছি",
        "summary": "কাউন্সিলর, প্রার্থী ও প্রচারকর্মীরা আমাদের ভোট চাওয়া যেকোনো "
        "মানুষের জন্য একটি মাপকাঠিতে একমত।",
        "body": [
            _p(
                "আমরা বহু শহর ও নগরের কাউন্সিলর, প্রার্থী ও প্রচারকর্মী। আমাদের কেউ "
                "কেউ নিজের দল ছেড়েছেন; কেউ কখনো কোনো দলে যোগই দেননি। আমাদের এক করে "
                "একটি সহজ মাপকাঠি, যা আমাদের ভোট চাওয়া সবার জন্য: তাঁরা কি গাজায় "
                "যুদ্ধবিরতির দাবি করবেন?"
            ),
            _h("আমরা কী গড়ে তুলছি"),
            _p(
                "এমন একটি নেটওয়ার্ক, যার মাধ্যমে এই মাপকাঠিতে একমত মানুষেরা একে "
                "অপরকে খুঁজে পান, বাড়ি বাড়ি প্রচারে ও কাউন্সিল কক্ষে কী কাজে দেয় তা "
                "ভাগ করে নেন, এবং নির্বাচনে একে অপরের বিরুদ্ধে নয়, পাশাপাশি দাঁড়ান।"
            ),
            _h("কীভাবে অংশ নেবেন"),
            _p(
                "আমাদের কোনো সম্মেলন অধিবেশনে আসুন, আপনার এলাকার প্রার্থীদের কথা "
                "আমাদের জানান, এবং নিজের কাউন্সিলরদের জিজ্ঞাসা করুন তাঁরা কোথায় "
                "দাঁড়িয়ে।"
            ),
        ],
    },
    "pa": {
        "title": "ਅਸੀਂ ਕਿਉਂ ਜਥੇਬੰਦ ਹੋ ਰਹੇ ਹਾਂ",
        "summary": "ਕੌਂਸਲਰ, ਉਮੀਦਵਾਰ ਅਤੇ ਮੁਹਿੰਮਕਾਰ ਸਾਡੀ ਵੋਟ ਮੰਗਣ ਵਾਲੇ ਹਰ ਵਿਅਕਤੀ "
        "ਲਈ ਇੱਕ ਕਸੌਟੀ 'ਤੇ ਸਹਿਮਤ ਹਨ।",
        "body": [
            _p(
                "ਅਸੀਂ ਕਈ ਕਸਬਿਆਂ ਅਤੇ ਸ਼ਹਿਰਾਂ ਦੇ ਕੌਂਸਲਰ, ਉਮੀਦਵਾਰ ਅਤੇ ਮੁਹਿੰਮਕਾਰ ਹਾਂ। ਸਾਡੇ "
                "ਵਿੱਚੋਂ ਕੁਝ ਨੇ ਆਪਣੀਆਂ ਪਾਰਟੀਆਂ ਛੱਡ ਦਿੱਤੀਆਂ; ਕੁਝ ਕਦੇ ਕਿਸੇ ਪਾਰਟੀ ਵਿੱਚ ਸ਼ਾਮਲ "
                "ਹੀ ਨਹੀਂ ਹੋਏ। ਸਾਨੂੰ ਜੋ ਇਕੱਠਾ ਕਰਦੀ ਹੈ ਉਹ ਵੋਟ ਮੰਗਣ ਵਾਲੇ ਹਰ ਵਿਅਕਤੀ ਲਈ ਇੱਕ "
                "ਸਰਲ ਕਸੌਟੀ ਹੈ: ਕੀ ਉਹ ਗਾਜ਼ਾ ਵਿੱਚ ਜੰਗਬੰਦੀ ਦੀ ਮੰਗ ਕਰਨਗੇ?"
            ),
            _h("ਅਸੀਂ ਕੀ ਬਣਾ ਰਹੇ ਹਾਂ"),
            _p(
                "ਇੱਕ ਅਜਿਹਾ ਨੈੱਟਵਰਕ ਜਿਸ ਰਾਹੀਂ ਇਸ ਕਸੌਟੀ 'ਤੇ ਸਹਿਮਤ ਲੋਕ ਇੱਕ ਦੂਜੇ ਨੂੰ ਲੱਭਣ, "
                "ਘਰ-ਘਰ ਜਾ ਕੇ ਅਤੇ ਕੌਂਸਲ ਦੇ ਸਦਨ ਵਿੱਚ ਕੰਮ ਆਉਣ ਵਾਲੀਆਂ ਗੱਲਾਂ ਸਾਂਝੀਆਂ ਕਰਨ, ਅਤੇ "
                "ਚੋਣਾਂ ਵਿੱਚ ਇੱਕ ਦੂਜੇ ਦੇ ਵਿਰੁੱਧ ਨਹੀਂ ਸਗੋਂ ਇਕੱਠੇ ਖੜ੍ਹਨ।"
            ),
            _h("ਹਿੱਸਾ ਕਿਵੇਂ ਲਈਏ"),
            _p(
                "ਸਾਡੇ ਕਿਸੇ ਕਾਨਫਰੰਸ ਸੈਸ਼ਨ ਵਿੱਚ ਆਓ, ਸਾਨੂੰ ਆਪਣੇ ਇਲਾਕੇ ਦੇ ਉਮੀਦਵਾਰਾਂ ਬਾਰੇ "
                "ਦੱਸੋ, ਅਤੇ ਆਪਣੇ ਕੌਂਸਲਰਾਂ ਨੂੰ ਖ਼ੁਦ ਪੁੱਛੋ ਕਿ ਉਹ ਕਿੱਥੇ ਖੜ੍ਹੇ ਹਨ।"
            ),
        ],
    },
}


@transaction.atomic
def seed_translations(*, home: HomePage) -> list[str]:
    """Translate the demo's home page, statements index and founding statement
    into every language (again on every run: the words here win)."""
    lines = []
    statements = StatementIndexPage.objects.child_of(home).first()
    statement = (
        StatementPage.objects.descendant_of(home)
        .filter(slug="why-we-are-organising")
        .first()
    )
    for language, words in HOME.items():
        heading, text, button = words["signup"]
        page_translation_publish(
            page=home,
            language=language,
            fields={
                "title": words["title"],
                "headline": words["headline"],
                "intro": words["intro"],
                "call_to_action_text": words["call_to_action_text"],
                "seo_title": words["title"],
                "search_description": words["search_description"],
                "body": _stream(
                    (
                        "signup",
                        {"heading": heading, "text": text, "button_label": button},
                    )
                ),
            },
        )
        if statements is not None:
            title, intro = STATEMENTS_INDEX[language]
            page_translation_publish(
                page=statements,
                language=language,
                fields={"title": title, "intro": intro},
            )
        if statement is not None:
            text = STATEMENT[language]
            page_translation_publish(
                page=statement,
                language=language,
                fields={
                    "title": text["title"],
                    "summary": text["summary"],
                    "body": _stream(*text["body"]),
                },
            )
        lines.append(f"Translated the home page and the statement into {language}")
    return lines
