/* date.c — calendar arithmetic on day numbers (days since 1970-01-01), ISO weeks. */
#include "c360.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool leap(int y);

/* Days from the civil date, counting years from March so that leap days come last; the years
 * data has (1900-2100) by the days of the years and months before (1901-2099: date_days_usual;
 * 1900 and 2100 are not leap). */
int64_t date_days(int y, int m, int d)
{
	static const int16_t before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	if (y > 1900 && y < 2100 && m >= 1 && m <= 12)
		return date_days_usual(y, m, d);
	if (y >= 1900 && y <= 2100 && m >= 1 && m <= 12) {
		int past = y - 1;	/* leap days of the years before y, less those before 1970 */
		return 365 * (int64_t)(y - 1970) + (past / 4 - past / 100 + past / 400 - 477) + before[m - 1] +
		       (m > 2 && leap(y)) + d - 1;
	}
	int64_t yy = y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return false;
	if (d <= 28)
		return true;	/* every month has 28 days: most days need no more */
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

int date_weekday(int64_t days)
{
	int64_t r = (days + 3) % 7;	/* 1970-01-01 was a Thursday */
	return (int)(r < 0 ? r + 7 : r) + 1;
}

int64_t date_monday(int64_t days)
{
	return days - date_weekday(days) + 1;
}

void date_iso_week(int64_t days, int *iso_year, int *week)
{
	int64_t thursday = date_monday(days) + 3;	/* the week belongs to its Thursday's year */
	int y, m, d;
	date_civil(thursday, &y, &m, &d);
	*iso_year = y;
	*week = (int)((thursday - date_days(y, 1, 1)) / 7 + 1);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse_iso(const char *s, int64_t *days)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid(y, m, d))
		return false;
	*days = date_days(y, m, d);
	return true;
}

static void put_digits(Buf *b, int v, int width)
{
	char tmp[8];
	for (int i = width - 1; i >= 0; i--, v /= 10)
		tmp[i] = (char)('0' + v % 10);
	buf_put(b, tmp, (size_t)width);
}

size_t date_format(char *out, int64_t moment, bool with_time)
{
	int64_t days = date_floor_day(moment);
	int y, m, d;
	date_civil(days, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10), out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10);
	out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
	out[7] = '-', out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10);
	if (!with_time)
		return 10;
	int secs = (int)(moment - days * SECS_PER_DAY), h = secs / 3600, mi = secs / 60 % 60, s = secs % 60;
	out[10] = ' ', out[11] = (char)('0' + h / 10), out[12] = (char)('0' + h % 10);
	out[13] = ':', out[14] = (char)('0' + mi / 10), out[15] = (char)('0' + mi % 10);
	out[16] = ':', out[17] = (char)('0' + s / 10), out[18] = (char)('0' + s % 10);
	return 19;
}

void buf_date(Buf *b, int64_t days)
{
	char text[DATE_TEXT_MAX];
	buf_put(b, text, date_format(text, days * SECS_PER_DAY, false));
}

void buf_moment(Buf *b, int64_t moment)
{
	char text[DATE_TEXT_MAX];
	buf_put(b, text, date_format(text, moment, true));
}

void buf_iso_week(Buf *b, int64_t days)
{
	int y, w;
	date_iso_week(days, &y, &w);
	put_digits(b, y, 4);
	buf_put(b, "-W", 2);
	put_digits(b, w, 2);
}

const char *const date_month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const date_weekday_abbr[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

void buf_date_words(Buf *b, int64_t days, bool year)
{
	int y, m, d;
	date_civil(days, &y, &m, &d);
	char t[6] = {0, 0, 0, ' ', (char)('0' + d / 10), (char)('0' + d % 10)};	/* "Mar 14" in one put */
	memcpy(t, date_month_abbr[m - 1], 3);
	if (d < 10)
		t[4] = t[5];	/* "Mar 4" */
	buf_put(b, t, d < 10 ? 5 : 6);
	if (year)
		buf_put(b, ", ", 2), buf_int(b, y);
}
