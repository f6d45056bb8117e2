/*
 * test_json.c -- the harness's JSON writer (harness/common/json.h) against its documented
 * escaping, and against Python's json module.
 *
 * The exact-output tests compare the escaping of chosen strings byte for byte. The round trip
 * writes every control character, quotes, backslashes, valid UTF-8 of every length and boundary,
 * invalid UTF-8 of every kind, and seeded random byte strings through the writer (as values and
 * as member names), then has python3 read the file with the strict UTF-8 decoder and json.loads
 * and compare each decoded string with what json.h promises for its bytes: valid UTF-8 decodes to
 * itself, every other byte to the character U+00XX of its value.
 */
#include "util.h"

#include <math.h>
#include <sys/wait.h>

#include "common/json.h"
#include "common/rng.h"

/* s through lr_json_escape, into buf. */
static const char *
escaped(const char *s, char *buf, size_t len)
{
    FILE *fp;

    memset(buf, 0, len);
    if ((fp = fmemopen(buf, len - 1, "w")) == NULL)
        return "(fmemopen failed)";
    lr_json_escape(fp, s);
    fclose(fp);
    return buf;
}

#define CHECK_ESCAPE(in, out)                                   \
    do {                                                        \
        char buf_[512];                                         \
        CHECK_EQ_STR(escaped((in), buf_, sizeof(buf_)), (out)); \
    } while (0)

static void
test_escape_exact(void)
{
    CHECK_ESCAPE("plain text", "\"plain text\"");
    CHECK_ESCAPE("", "\"\"");
    CHECK_ESCAPE("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    CHECK_ESCAPE("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    CHECK_ESCAPE("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    CHECK_ESCAPE(" ~", "\" ~\"");
    /* Valid UTF-8 passes through: U+00E9, U+20AC, U+1F600, the extremes of each length. */
    CHECK_ESCAPE("\xc3\xa9", "\"\xc3\xa9\"");
    CHECK_ESCAPE("\xe2\x82\xac", "\"\xe2\x82\xac\"");
    CHECK_ESCAPE("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
    CHECK_ESCAPE("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
      "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
    /* Every byte that is not part of a well-formed sequence becomes \u00XX of itself. */
    CHECK_ESCAPE("\xff", "\"\\u00ff\"");
    CHECK_ESCAPE("\x80", "\"\\u0080\"");
    CHECK_ESCAPE("\xc3", "\"\\u00c3\"");                                  /* truncated */
    CHECK_ESCAPE("\xe2\x82", "\"\\u00e2\\u0082\"");                       /* truncated */
    CHECK_ESCAPE("\xe2\x82x", "\"\\u00e2\\u0082x\"");                     /* cut short */
    CHECK_ESCAPE("\xc0\xaf", "\"\\u00c0\\u00af\"");                       /* overlong */
    CHECK_ESCAPE("\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"");            /* overlong */
    CHECK_ESCAPE("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");            /* surrogate */
    CHECK_ESCAPE("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
    CHECK_ESCAPE("\xf8\x88\x80\x80\x80", "\"\\u00f8\\u0088\\u0080\\u0080\\u0080\"");
    CHECK_ESCAPE("\xc3\xa9\xc3", "\"\xc3\xa9\\u00c3\"");
}

static void
test_writer_shape(void)
{
    char buf[1024];
    lr_json j;
    FILE *fp;
    int i;

    memset(buf, 0, sizeof(buf));
    REQUIRE((fp = fmemopen(buf, sizeof(buf) - 1, "w")) != NULL);
    lr_json_init(&j, fp);
    lr_json_object(&j, NULL);
    lr_json_u64(&j, "seed", 3);
    lr_json_object(&j, "empty");
    lr_json_end(&j);
    lr_json_array(&j, "list");
    lr_json_object_line(&j, NULL);
    lr_json_i64(&j, "n", -1);
    lr_json_array_line(&j, "v");
    lr_json_bool(&j, NULL, true);
    lr_json_null(&j, NULL);
    lr_json_end(&j);
    lr_json_end(&j);
    lr_json_end(&j);
    lr_json_double(&j, "nan", NAN, 6);
    lr_json_str(&j, "none", NULL);
    lr_json_end(&j);
    CHECK_EQ(lr_json_status(&j), 0);
    fclose(fp);
    CHECK_EQ_STR(buf,
      "{\n  \"seed\": 3,\n  \"empty\": {},\n  \"list\": [\n"
      "    {\"n\": -1, \"v\": [true, null]}\n  ],\n  \"nan\": null,\n"
      "  \"none\": null\n}\n");

    /* An unclosed container, and one too deep, are reported. */
    REQUIRE((fp = fmemopen(buf, sizeof(buf) - 1, "w")) != NULL);
    lr_json_init(&j, fp);
    lr_json_object(&j, NULL);
    CHECK_NE(lr_json_status(&j), 0);
    fclose(fp);
    REQUIRE((fp = fmemopen(buf, sizeof(buf) - 1, "w")) != NULL);
    lr_json_init(&j, fp);
    for (i = 0; i <= LR_JSON_DEPTH; i++)
        lr_json_array(&j, NULL);
    for (i = 0; i <= LR_JSON_DEPTH; i++)
        lr_json_end(&j);
    CHECK_NE(lr_json_status(&j), 0);
    fclose(fp);
}

/* The round trip's strings, each as raw bytes (NUL-terminated, so no NUL inside). */
#define RT_MAX 400
static char rt_str[RT_MAX][64];
static int rt_n;

static void
rt_add(const char *s)
{
    if (rt_n < RT_MAX)
        snprintf(rt_str[rt_n++], sizeof(rt_str[0]), "%s", s);
}

static void
rt_cases(void)
{
    static const char *const fixed[] = {"\"quoted\"", "back\\slash", "\\\"", "/", "",
      "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80", "\xc2\x80", "\xdf\xbf",
      "\xe0\xa0\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xc0\x80",
      "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x8f\xbf\xbf",
      "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xfe\xff", "\xe2\x82", "\xf0\x9f\x98",
      "a\x80"
      "b",
      "\xc3\xc3\xa9", "\xe2\xe2\x82\xac", "t\xa0\xa1\xa2"};
    char s[64];
    lr_rng r;
    size_t i;
    int b, k, len;

    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        rt_add(fixed[i]);
    for (b = 1; b < 256; b++) { /* every byte alone */
        s[0] = (char)b;
        s[1] = '\0';
        rt_add(s);
    }
    for (b = 1; b < 32; b++) { /* every control character inside text */
        snprintf(s, sizeof(s), "x%cy", b);
        rt_add(s);
    }
    /* Seeded random strings, biased towards UTF-8 lead and continuation bytes. */
    lr_rng_init(&r, 42, 0);
    while (rt_n < RT_MAX) {
        len = 1 + (int)lr_below(&r, 24);
        for (k = 0; k < len; k++) {
            switch (lr_below(&r, 4)) {
            case 0:
                b = 1 + (int)lr_below(&r, 127);
                break;
            case 1:
                b = 0x80 + (int)lr_below(&r, 0x40);
                break;
            case 2:
                b = 0xc0 + (int)lr_below(&r, 0x40);
                break;
            default:
                b = 1 + (int)lr_below(&r, 255);
                break;
            }
            s[k] = (char)b;
        }
        s[len] = '\0';
        rt_add(s);
    }
}

static const char rt_script[] =
  "import codecs, json, sys\n"
  "def as_bytes(e):\n"
  "    return (''.join(chr(b) for b in e.object[e.start:e.end]), e.end)\n"
  "codecs.register_error('lr_bytes', as_bytes)\n"
  "def want(h):\n"
  "    return bytes.fromhex(h).decode('utf-8', 'lr_bytes')\n"
  "text = open(sys.argv[1], 'rb').read().decode('utf-8')\n"
  "doc = json.loads(text)\n"
  "bad = 0\n"
  "for i, c in enumerate(doc['cases']):\n"
  "    w = want(c['hex'])\n"
  "    if c['value'] != w:\n"
  "        print('case %d (%s): value %r, want %r' % (i, c['hex'], c['value'], w)); bad += 1\n"
  "    if list(c['named'].keys()) != [w] or c['named'][w] != i:\n"
  "        print('case %d (%s): name %r, want %r' % (i, c['hex'], list(c['named']), w)); bad += 1\n"
  "n = doc['numbers']\n"
  "if n != [18446744073709551615, -9223372036854775808, 0.5, None, None, True, False, None]:\n"
  "    print('numbers: %r' % (n,)); bad += 1\n"
  "if len(doc['cases']) != doc['count']:\n"
  "    print('count: %d, want %d' % (len(doc['cases']), doc['count'])); bad += 1\n"
  "print('python: %d strings, %d mismatches' % (len(doc['cases']), bad))\n"
  "sys.exit(1 if bad else 0)\n";

static void
test_round_trip(void)
{
    char hex[2 * sizeof(rt_str[0]) + 1], cmd[256];
    const unsigned char *p;
    lr_json j;
    FILE *fp;
    int i, rc;

    rt_cases();
    REQUIRE((fp = fopen("json_check.py", "w")) != NULL);
    fputs(rt_script, fp);
    REQUIRE(fclose(fp) == 0);

    REQUIRE((fp = fopen("json_round_trip.json", "w")) != NULL);
    lr_json_init(&j, fp);
    lr_json_object(&j, NULL);
    lr_json_i64(&j, "count", rt_n);
    lr_json_array(&j, "cases");
    for (i = 0; i < rt_n; i++) {
        hex[0] = '\0';
        for (p = (const unsigned char *)rt_str[i]; *p != '\0'; p++)
            snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x", *p);
        lr_json_object_line(&j, NULL);
        lr_json_str(&j, "hex", hex);
        lr_json_str(&j, "value", rt_str[i]);
        lr_json_object_line(&j, "named");
        lr_json_i64(&j, rt_str[i], i);
        lr_json_end(&j);
        lr_json_end(&j);
    }
    lr_json_end(&j);
    lr_json_array_line(&j, "numbers");
    lr_json_u64(&j, NULL, UINT64_MAX);
    lr_json_i64(&j, NULL, INT64_MIN);
    lr_json_double(&j, NULL, 0.5, 6);
    lr_json_double(&j, NULL, INFINITY, 6);
    lr_json_double(&j, NULL, NAN, 6);
    lr_json_bool(&j, NULL, true);
    lr_json_bool(&j, NULL, false);
    lr_json_null(&j, NULL);
    lr_json_end(&j);
    lr_json_end(&j);
    CHECK_EQ(lr_json_status(&j), 0);
    REQUIRE(fclose(fp) == 0);

    snprintf(cmd, sizeof(cmd), "python3 json_check.py json_round_trip.json");
    rc = system(cmd);
    if (!CHECK(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0))
        tu_note("'%s' ended with status 0x%x (json_round_trip.json kept)", cmd, (unsigned)rc);
}

int
main(void)
{
    TU_RUN(test_escape_exact);
    TU_RUN(test_writer_shape);
    TU_RUN(test_round_trip);
    return tu_finish();
}
