"""The server-drawn charts: one geometry, an SVG and a PNG of it, and axis labels that are the real ticks."""

import io

from PIL import Image

from wenming.reports import charts


def test_axis_ticks_are_written_exactly():
    # a nice maximum of 1 or 5 has quarter ticks 0.25 / 1.25: they used to print as 0.2 and 1
    assert [charts.tick_label(1 * i / 4) for i in range(5)] == ["0", "0.25", "0.5", "0.75", "1"]
    assert [charts.tick_label(5 * i / 4) for i in range(5)] == ["0", "1.25", "2.5", "3.75", "5"]
    assert charts.tick_label(2500) == "2,500"
    texts = [s.text for s in charts.bar_chart("测试", ["沈阳", "大连"], [3, 5]).shapes if s.kind == "text"]
    assert "1.25" in texts and "沈阳" in texts


def test_svg_and_png_hold_the_same_chart():
    chart = charts.bar_chart("各市创建活动（场）", ["沈阳", "大连"], [2, 6])
    svg = charts.to_svg(chart)
    assert svg.startswith("<svg") and svg.count("<rect") == 3  # canvas + two bars
    assert "各市创建活动（场）" in svg and "大连" in svg
    png = Image.open(io.BytesIO(charts.to_png(chart)))
    assert png.size == (chart.width * 2, chart.height * 2)
    # the taller bar (Dalian) is painted in the postal green at its middle
    bar = next(s for s in chart.shapes if s.kind == "rect" and s.points[3] > 100)
    x, y = (bar.points[0] + bar.points[2] / 2) * 2, (bar.points[1] + bar.points[3] / 2) * 2
    assert png.convert("RGB").getpixel((int(x), int(y))) == (0x1F, 0x7A, 0x4D)
