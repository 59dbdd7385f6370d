"""Charts drawn on the server as small inline SVG: no script, no chart library, nothing fetched;
readable on a cheap phone and printable. Each chart has a table beside it with the same
figures (the accessible version); a suppressed count is drawn as a grey stub marked "<5"."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vaora.oversight.stats import Series, shown

WIDTH, COLUMNS_HEIGHT, BAR_ROW = 640, 200, 22
LEFT, BOTTOM, TOP = 44, 22, 12
MAX_BARS = 15  # categories drawn; the table lists them all


def _top(values) -> float:
    known = [v for v in values if v is not None]
    return max(known) if known and max(known) > 0 else 1


def _svg(series: Series, height: int, body: list[str]) -> SafeString:
    title = escape(str(series.title))
    markup = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>' + "".join(body) + "</svg>"
    )
    return mark_safe(markup)  # noqa: S308 - every text in it was escaped


def columns(series: Series) -> SafeString:
    values = [v for _label, v in series.rows]
    top = _top(values)
    plot_h = COLUMNS_HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(1, len(values))
    every = max(1, round(len(values) / 12))  # at most ~12 labels under the axis
    body = [
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" class="axis">'
        f"{escape(shown(top, series.percent))}</text>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH}" y2="{TOP + plot_h}" class="axis"/>',
    ]
    for i, (label, value) in enumerate(series.rows):
        x = LEFT + i * step + step * 0.1
        w = step * 0.8
        text = escape(f"{label}: {shown(value, series.percent)}")
        if value is None:
            body.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - 3}" width="{w:.1f}" height="3" '
                        f'class="chart-suppressed"><title>{text}</title></rect>')  # fmt: skip
        else:
            h = plot_h * value / top
            top_y = TOP + plot_h - h
            body.append(f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                        f'class="chart-bar"><title>{text}</title></rect>')  # fmt: skip
        if i % every == 0:
            body.append(f'<text x="{x + w / 2:.1f}" y="{COLUMNS_HEIGHT - 6}" text-anchor="middle" '
                        f'class="label">{escape(label)}</text>')  # fmt: skip
    return _svg(series, COLUMNS_HEIGHT, body)


def bars(series: Series) -> SafeString:
    rows = series.rows[:MAX_BARS]
    top = _top([v for _label, v in rows])
    height = TOP + BAR_ROW * max(1, len(rows)) + 4
    label_w = 200
    plot_w = WIDTH - label_w - 60
    body = []
    for i, (label, value) in enumerate(rows):
        y = TOP + i * BAR_ROW
        w = 3 if value is None else plot_w * value / top
        css = "chart-suppressed" if value is None else "chart-bar"
        figure = escape(shown(value, series.percent))
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="label">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{BAR_ROW - 6}" class="{css}">'
            f"<title>{escape(label)}: {figure}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" class="figure">{figure}</text>'
        )  # fmt: skip
    return _svg(series, height, body)


def draw(series: Series) -> SafeString:
    return columns(series) if series.chart == "columns" else bars(series)
