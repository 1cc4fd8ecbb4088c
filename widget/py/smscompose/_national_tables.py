r"""National language shift tables of 3GPP TS 23.038 Annex A.

``LOCKING_SHIFT_TABLES`` holds the national language locking shift tables (Annex A.3; Spanish,
A.3.2, has none) and ``SINGLE_SHIFT_TABLES`` the national language single shift tables (Annex
A.2), keyed by ISO 639-1 code. Each table is a 128-character string indexed by septet, written
as 8 lines of 16 characters, one line per column of the specification's table. ``"\uffff"``
(``alphabets.UNUSED``) marks every position the specification leaves empty; position 0x1B is
the escape to the extension table (``"\x1b"``) in a locking shift table and unused in a
single shift table, whose 0x0D (reserved for CR2) is unused too, as in the default extension
table. Combining marks, right-to-left letters, non-ASCII digits and signs, and letters that
Unicode normalization (NFC) would rewrite are written as ``\u`` escapes; other letters as
themselves.

Transcribed mechanically (by a throwaway script, not by hand) from the ``sLanguageTables`` and
``sLanguageShiftTables`` arrays of AOSP's ``GsmAlphabet.java`` (Android telephony framework,
which follows TS 23.038 V9.1.1), where undefined positions are written as spaces. AOSP corrects
three misprints of V9.1.1 and these tables keep its corrections: Kannada locking 0x24 is
U+0CA1 (V9.1.1: U+0CAA, which duplicates 0x3D), Tamil single shift 0x24 is U+0BEE (V9.1.1:
U+0BEF, which duplicates 0x25) and Telugu single shift 0x22-0x23 are U+0C6C U+0C6D (V9.1.1:
the Arabic-block U+06CC U+06CD). Cross-checked position by position against node ``smpp``
0.5.1 (Turkish, Spanish, Portuguese) and the Go package ``github.com/warthog618/sms`` (all
thirteen languages), which agree except that the latter has Bengali U+0981-U+0983 at Hindi
locking 0x00-0x02, where the specification has Devanagari U+0901-U+0903.

As in the specification, the Indic and Urdu single shift tables carry ``¡`` (0x13, 0x15) and
``*`` (0x0B, 0x18) twice; encoders use the first position.
"""

# fmt: off
LOCKING_SHIFT_TABLES: dict[str, str] = {
    # A.3.1 Turkish National Language Locking Shift Table
    "tr": (
        "@£$¥€éùıòÇ\nĞğ\rÅå"
        "Δ_ΦΓΛΩΠΨΣΘΞ\x1bŞşßÉ"
        " !\"#¤%&'()*+,-./"
        "0123456789:;<=>?"
        "İABCDEFGHIJKLMNO"
        "PQRSTUVWXYZÄÖÑÜ§"
        "çabcdefghijklmno"
        "pqrstuvwxyzäöñüà"
    ),
    # A.3.3 Portuguese National Language Locking Shift Table
    "pt": (
        "@£$¥êéúíóç\nÔô\rÁá"
        "Δ_ªÇÀ∞^\\€Ó|\x1bÂâÊÉ"
        " !\"#º%&'()*+,-./"
        "0123456789:;<=>?"
        "ÍABCDEFGHIJKLMNO"
        "PQRSTUVWXYZÃÕÚÜ§"
        "~abcdefghijklmno"
        "pqrstuvwxyzãõ`üà"
    ),
    # A.3.4 Bengali National Language Locking Shift Table
    "bn": (
        "\u0981\u0982\u0983অআইঈউঊঋ\nঌ\uffff\r\uffffএ"
        "ঐ\uffff\uffffওঔকখগঘঙচ\x1bছজঝঞ"
        " !টঠডঢণত)(থদ,ধ.ন"
        "0123456789:;\uffffপফ?"
        "বভমযর\uffffল\uffff\uffff\uffffশষসহ\u09bcঽ"
        "\u09be\u09bf\u09c0\u09c1\u09c2\u09c3\u09c4\uffff\uffff\u09c7\u09c8\uffff\uffff\u09cb\u09cc\u09cd"
        "ৎabcdefghijklmno"
        "pqrstuvwxyz\u09d7\u09dc\u09ddৰৱ"
    ),
    # A.3.5 Gujarati National Language Locking Shift Table
    "gu": (
        "\u0a81\u0a82\u0a83અઆઇઈઉઊઋ\nઌઍ\r\uffffએ"
        "ઐઑ\uffffઓઔકખગઘઙચ\x1bછજઝઞ"
        " !ટઠડઢણત)(થદ,ધ.ન"
        "0123456789:;\uffffપફ?"
        "બભમયર\uffffલળ\uffffવશષસહ\u0abcઽ"
        "\u0abe\u0abf\u0ac0\u0ac1\u0ac2\u0ac3\u0ac4\u0ac5\uffff\u0ac7\u0ac8\u0ac9\uffff\u0acb\u0acc\u0acd"
        "ૐabcdefghijklmno"
        "pqrstuvwxyzૠૡ\u0ae2\u0ae3\u0af1"
    ),
    # A.3.6 Hindi National Language Locking Shift Table
    "hi": (
        "\u0901\u0902\u0903अआइईउऊऋ\nऌऍ\rऎए"
        "ऐऑऒओऔकखगघङच\x1bछजझञ"
        " !टठडढणत)(थद,ध.न"
        "0123456789:;ऩपफ?"
        "बभमयरऱलळऴवशषसह\u093cऽ"
        "\u093e\u093f\u0940\u0941\u0942\u0943\u0944\u0945\u0946\u0947\u0948\u0949\u094a\u094b\u094c\u094d"
        "ॐabcdefghijklmno"
        "pqrstuvwxyzॲॻॼॾॿ"
    ),
    # A.3.7 Kannada National Language Locking Shift Table
    "kn": (
        "\uffff\u0c82\u0c83ಅಆಇಈಉಊಋ\nಌ\uffff\rಎಏ"
        "ಐ\uffffಒಓಔಕಖಗಘಙಚ\x1bಛಜಝಞ"
        " !ಟಠಡಢಣತ)(ಥದ,ಧ.ನ"
        "0123456789:;\uffffಪಫ?"
        "ಬಭಮಯರಱಲಳ\uffffವಶಷಸಹ\u0cbcಽ"
        "\u0cbe\u0cbf\u0cc0\u0cc1\u0cc2\u0cc3\u0cc4\uffff\u0cc6\u0cc7\u0cc8\uffff\u0cca\u0ccb\u0ccc\u0ccd"
        "\u0cd5abcdefghijklmno"
        "pqrstuvwxyz\u0cd6ೠೡ\u0ce2\u0ce3"
    ),
    # A.3.8 Malayalam National Language Locking Shift Table
    "ml": (
        "\uffff\u0d02\u0d03അആഇഈഉഊഋ\nഌ\uffff\rഎഏ"
        "ഐ\uffffഒഓഔകഖഗഘങച\x1bഛജഝഞ"
        " !ടഠഡഢണത)(ഥദ,ധ.ന"
        "0123456789:;\uffffപഫ?"
        "ബഭമയരറലളഴവശഷസഹ\uffffഽ"
        "\u0d3e\u0d3f\u0d40\u0d41\u0d42\u0d43\u0d44\uffff\u0d46\u0d47\u0d48\uffff\u0d4a\u0d4b\u0d4c\u0d4d"
        "\u0d57abcdefghijklmno"
        "pqrstuvwxyzൠൡ\u0d62\u0d63\u0d79"
    ),
    # A.3.9 Oriya National Language Locking Shift Table
    "or": (
        "\u0b01\u0b02\u0b03ଅଆଇଈଉଊଋ\nଌ\uffff\r\uffffଏ"
        "ଐ\uffff\uffffଓଔକଖଗଘଙଚ\x1bଛଜଝଞ"
        " !ଟଠଡଢଣତ)(ଥଦ,ଧ.ନ"
        "0123456789:;\uffffପଫ?"
        "ବଭମଯର\uffffଲଳ\uffffଵଶଷସହ\u0b3cଽ"
        "\u0b3e\u0b3f\u0b40\u0b41\u0b42\u0b43\u0b44\uffff\uffff\u0b47\u0b48\uffff\uffff\u0b4b\u0b4c\u0b4d"
        "\u0b56abcdefghijklmno"
        "pqrstuvwxyz\u0b57ୠୡ\u0b62\u0b63"
    ),
    # A.3.10 Punjabi National Language Locking Shift Table
    "pa": (
        "\u0a01\u0a02\u0a03ਅਆਇਈਉਊ\uffff\n\uffff\uffff\r\uffffਏ"
        "ਐ\uffff\uffffਓਔਕਖਗਘਙਚ\x1bਛਜਝਞ"
        " !ਟਠਡਢਣਤ)(ਥਦ,ਧ.ਨ"
        "0123456789:;\uffffਪਫ?"
        "ਬਭਮਯਰ\uffffਲ\u0a33\uffffਵ\u0a36\uffffਸਹ\u0a3c\uffff"
        "\u0a3e\u0a3f\u0a40\u0a41\u0a42\uffff\uffff\uffff\uffff\u0a47\u0a48\uffff\uffff\u0a4b\u0a4c\u0a4d"
        "\u0a51abcdefghijklmno"
        "pqrstuvwxyz\u0a70\u0a71ੲੳੴ"
    ),
    # A.3.11 Tamil National Language Locking Shift Table
    "ta": (
        "\uffff\u0b82ஃஅஆஇஈஉஊ\uffff\n\uffff\uffff\rஎஏ"
        "ஐ\uffffஒஓஔக\uffff\uffff\uffffஙச\x1b\uffffஜ\uffffஞ"
        " !ட\uffff\uffff\uffffணத)(\uffff\uffff,\uffff.ந"
        "0123456789:;னப\uffff?"
        "\uffff\uffffமயரறலளழவஶஷஸஹ\uffff\uffff"
        "\u0bbe\u0bbf\u0bc0\u0bc1\u0bc2\uffff\uffff\uffff\u0bc6\u0bc7\u0bc8\uffff\u0bca\u0bcb\u0bcc\u0bcd"
        "ௐabcdefghijklmno"
        "pqrstuvwxyz\u0bd7\u0bf0\u0bf1\u0bf2\u0bf9"
    ),
    # A.3.12 Telugu National Language Locking Shift Table
    "te": (
        "\u0c01\u0c02\u0c03అఆఇఈఉఊఋ\nఌ\uffff\rఎఏ"
        "ఐ\uffffఒఓఔకఖగఘఙచ\x1bఛజఝఞ"
        " !టఠడఢణత)(థద,ధ.న"
        "0123456789:;\uffffపఫ?"
        "బభమయరఱలళ\uffffవశషసహ\uffffఽ"
        "\u0c3e\u0c3f\u0c40\u0c41\u0c42\u0c43\u0c44\uffff\u0c46\u0c47\u0c48\uffff\u0c4a\u0c4b\u0c4c\u0c4d"
        "\u0c55abcdefghijklmno"
        "pqrstuvwxyz\u0c56ౠౡ\u0c62\u0c63"
    ),
    # A.3.13 Urdu National Language Locking Shift Table
    "ur": (
        "\u0627\u0622\u0628\u067b\u0680\u067e\u06a6\u062a\u06c2\u067f\n\u0679\u067d\r\u067a\u067c"
        "\u062b\u062c\u0681\u0684\u0683\u0685\u0686\u0687\u062d\u062e\u062f\x1b\u068c\u0688\u0689\u068a"
        " !\u068f\u068d\u0630\u0631\u0691\u0693)(\u0699\u0632,\u0696.\u0698"
        "0123456789:;\u069a\u0633\u0634?"
        "\u0635\u0636\u0637\u0638\u0639\u0641\u0642\u06a9\u06aa\u06ab\u06af\u06b3\u06b1\u0644\u0645\u0646"
        "\u06ba\u06bb\u06bc\u0648\u06c4\u06d5\u06c1\u06be\u0621\u06cc\u06d0\u06d2\u064d\u0650\u064f\u0657"
        "\u0654abcdefghijklmno"
        "pqrstuvwxyz\u0655\u0651\u0653\u0656\u0670"
    ),
}

SINGLE_SHIFT_TABLES: dict[str, str] = {
    # A.2.1 Turkish National Language Single Shift Table
    "tr": (
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\f\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff^\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|\uffff\uffff\uffff\uffff\uffff\uffffĞ\uffffİ\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffffŞ\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffffç\uffff€\uffffğ\uffffı\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffffş\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.2 Spanish National Language Single Shift Table
    "es": (
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffffç\f\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff^\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|Á\uffff\uffff\uffff\uffff\uffff\uffff\uffffÍ\uffff\uffff\uffff\uffff\uffffÓ"
        "\uffff\uffff\uffff\uffff\uffffÚ\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffffá\uffff\uffff\uffff€\uffff\uffff\uffffí\uffff\uffff\uffff\uffff\uffffó"
        "\uffff\uffff\uffff\uffff\uffffú\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.3 Portuguese National Language Single Shift Table
    "pt": (
        "\uffff\uffff\uffff\uffff\uffffê\uffff\uffff\uffffç\fÔô\uffffÁá"
        "\uffff\uffffΦΓ^ΩΠΨΣΘ\uffff\uffff\uffff\uffff\uffffÊ"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|À\uffff\uffff\uffff\uffff\uffff\uffff\uffffÍ\uffff\uffff\uffff\uffff\uffffÓ"
        "\uffff\uffff\uffff\uffff\uffffÚ\uffff\uffff\uffff\uffff\uffffÃÕ\uffff\uffff\uffff"
        "\uffffÂ\uffff\uffff\uffff€\uffff\uffff\uffffí\uffff\uffff\uffff\uffff\uffffó"
        "\uffff\uffff\uffff\uffff\uffffú\uffff\uffff\uffff\uffff\uffffãõ\uffff\uffffâ"
    ),
    # A.2.4 Bengali National Language Single Shift Table
    "bn": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u09e6\u09e7\uffff\u09e8\u09e9\u09ea\u09eb"
        "\u09ec\u09ed\u09ee\u09ef\u09dfৠৡ\u09e2{}\u09e3\u09f2\u09f3\u09f4\u09f5\\"
        "\u09f6\u09f7\u09f8\u09f9\u09fa\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.5 Gujarati National Language Single Shift Table
    "gu": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0ae6\u0ae7\u0ae8\u0ae9"
        "\u0aea\u0aeb\u0aec\u0aed\u0aee\u0aef\uffff\uffff{}\uffff\uffff\uffff\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.6 Hindi National Language Single Shift Table
    "hi": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0966\u0967\u0968\u0969"
        "\u096a\u096b\u096c\u096d\u096e\u096f\u0951\u0952{}\u0953\u0954\u0958\u0959\u095a\\"
        "\u095b\u095c\u095d\u095e\u095fॠॡ\u0962\u0963\u0970\u0971\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.7 Kannada National Language Single Shift Table
    "kn": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0ce6\u0ce7\u0ce8\u0ce9"
        "\u0cea\u0ceb\u0cec\u0ced\u0cee\u0cefೞೱ{}ೲ\uffff\uffff\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.8 Malayalam National Language Single Shift Table
    "ml": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0d66\u0d67\u0d68\u0d69"
        "\u0d6a\u0d6b\u0d6c\u0d6d\u0d6e\u0d6f\u0d70\u0d71{}\u0d72\u0d73\u0d74\u0d75ൺ\\"
        "ൻർൽൾൿ\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.9 Oriya National Language Single Shift Table
    "or": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0b66\u0b67\u0b68\u0b69"
        "\u0b6a\u0b6b\u0b6c\u0b6d\u0b6e\u0b6f\u0b5c\u0b5d{}ୟ\u0b70ୱ\uffff\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.10 Punjabi National Language Single Shift Table
    "pa": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0a66\u0a67\u0a68\u0a69"
        "\u0a6a\u0a6b\u0a6c\u0a6d\u0a6e\u0a6f\u0a59\u0a5a{}\u0a5bੜ\u0a5e\u0a75\uffff\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.11 Tamil National Language Single Shift Table
    "ta": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0964\u0965\uffff\u0be6\u0be7\u0be8\u0be9"
        "\u0bea\u0beb\u0bec\u0bed\u0bee\u0bef\u0bf3\u0bf4{}\u0bf5\u0bf6\u0bf7\u0bf8\u0bfa\\"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.12 Telugu National Language Single Shift Table
    "te": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\uffff\uffff\uffff\u0c66\u0c67\u0c68\u0c69"
        "\u0c6a\u0c6b\u0c6c\u0c6d\u0c6e\u0c6fౘౙ{}\u0c78\u0c79\u0c7a\u0c7b\u0c7c\\"
        "\u0c7d\u0c7e\u0c7f\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff[~]\uffff"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
    # A.2.13 Urdu National Language Single Shift Table
    "ur": (
        "@£$¥¿\"¤%&'\f*+\uffff-/"
        "<=>¡^¡_#*\u0600\u0601\uffff\u06f0\u06f1\u06f2\u06f3"
        "\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9\u060c\u060d{}\u060e\u060f\u0610\u0611\u0612\\"
        "\u0613\u0614\u061b\u061f\u0640\u0652\u0658\u066b\u066c\u0672\u0673\u06cd[~]\u06d4"
        "|ABCDEFGHIJKLMNO"
        "PQRSTUVWXYZ\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff€\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
        "\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff\uffff"
    ),
}
# fmt: on
