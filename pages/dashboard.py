"""Manager dashboard: headline tiles against the last snapshot and the
targets, trends, a field × source heat map, duplicates by source,
stewardship, drill-down by batch, and exports. Counts and rates only."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.quality.dashboard import TREND, VOLUME, Dashboard, dashboard, drill, heat, kpi_workbook
from pages.common import cached, field_name, guard, inert, plot_label, store, t

LOWER_IS_BETTER = {"duplicate_rate", "dormant_rate", "backlog"}
CHART = {"displaylogo": False,
         "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "quality"}}  # fmt: skip


def _board() -> Dashboard:
    with store() as s:
        return dashboard(s)


def share(x: float | None) -> str:
    """A share as a percentage; "—" where nothing was measured (None or NaN)."""
    return "—" if x is None or pd.isna(x) else f"{x:.1%}"


def kpi_label(path: str) -> str:
    return t(f"kpi.{path}")


def tiles(board: Dashboard) -> None:
    cells = st.columns(4)
    for i, tile in enumerate(board.tiles):
        if tile.is_share:
            value, delta = (
                share(tile.value),
                (None if tile.delta is None else f"{tile.delta * 100:+.1f} pp"),
            )
        else:
            value = "—" if tile.value is None else f"{tile.value:,.0f}"
            delta = None if tile.delta is None else f"{tile.delta:+,.0f}"
        with cells[i % 4]:
            st.metric(kpi_label(tile.path), value, delta, border=True,
                      delta_color="inverse" if tile.path in LOWER_IS_BETTER else "normal")  # fmt: skip
            if tile.check is not None and tile.check.met is not None:
                target = str(tile.check.target).split(" ", 1)[1]
                if tile.off_target:
                    st.markdown(f":red[:material/flag: {t('dash.off_target', target=target)}]")
                else:
                    st.caption(t("dash.on_target", target=target))


def trends(board: Dashboard) -> None:
    frame = pd.DataFrame(board.trend)
    quality = frame.melt(id_vars="day", value_vars=list(TREND), var_name="kpi", value_name="v")
    quality["kpi"] = quality["kpi"].map(kpi_label)
    fig = px.line(quality, x="day", y="v", color="kpi", title=t("dash.trend.quality"),
                  labels={"day": t("dash.axis.day"), "v": t("dash.axis.share"),
                          "kpi": t("dash.axis.kpi")})  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    st.plotly_chart(fig, key="trend_quality", config=CHART)
    volume = frame.melt(id_vars="day", value_vars=list(VOLUME), var_name="kpi", value_name="v")
    volume["kpi"] = volume["kpi"].map(kpi_label)
    fig = px.line(volume, x="day", y="v", color="kpi", title=t("dash.trend.volume"),
                  labels={"day": t("dash.axis.day"), "v": t("dash.axis.count"),
                          "kpi": t("dash.axis.kpi")})  # fmt: skip
    st.plotly_chart(fig, key="trend_volume", config=CHART)


def heat_map(board: Dashboard) -> tuple[str, str] | None:
    """The field × source grid as clickable squares; returns the clicked cell."""
    measure = st.radio(t("dash.heat.measure"), ["completeness", "validity"], horizontal=True,
                       format_func=lambda m: t(f"measure.{m}"), key="heat_measure")  # fmt: skip
    grid = heat(board.report, measure)
    cells = [(f, c, v) for f, row in grid.items() for c, v in row.items()]
    fig = go.Figure(go.Scatter(
        x=[plot_label(c) for _, c, _ in cells], y=[field_name(f) for f, _, _ in cells],
        mode="markers+text",
        text=[share(v) for _, _, v in cells], customdata=[[f, c] for f, c, _ in cells],
        marker={"symbol": "square", "size": 46, "cmin": 0, "cmax": 1, "showscale": True,
                "color": [-0.05 if v is None else v for _, _, v in cells],
                "colorscale": [[0, "#eeeeee"], [0.05, "#d73027"], [0.6, "#fee08b"],
                               [1, "#1a9850"]]},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(title=t("dash.heat.title", measure=t(f"measure.{measure}")),
                      xaxis_title=t("dash.axis.channel"), yaxis_title=t("dash.axis.field"),
                      height=110 + 52 * len(grid), yaxis={"autorange": "reversed"})  # fmt: skip
    event = st.plotly_chart(fig, key="heat", on_select="rerun", selection_mode="points",
                            config=CHART)  # fmt: skip
    points = event.selection.points if event else []
    return (points[0]["customdata"][1], points[0]["customdata"][0]) if points else None


def channels_chart(board: Dashboard) -> str | None:
    frame = pd.DataFrame(
        [{"channel": plot_label(c), "raw": c, "rate": k.duplicate_rate or 0.0}
         for c, k in board.report.channels.items()]
    )  # fmt: skip
    fig = px.bar(frame, x="channel", y="rate", title=t("dash.channels.title"),
                 labels={"channel": t("dash.axis.channel"), "rate": kpi_label("duplicate_rate")},
                 text=frame["rate"].map(share), custom_data=["raw"])  # fmt: skip
    fig.update_yaxes(tickformat=".0%")
    event = st.plotly_chart(fig, key="dupes", on_select="rerun", selection_mode="points",
                            config=CHART)  # fmt: skip
    points = event.selection.points if event else []
    return str(points[0]["customdata"][0]) if points else None


def drill_down(board: Dashboard, clicked: tuple[str, str | None] | None) -> None:
    channels = board.channels()
    if clicked and st.session_state.get("drill_click") != list(clicked):
        st.session_state["drill_click"] = list(clicked)  # apply a click once, then the boxes rule
        st.session_state["drill_channel"], field = clicked
        st.session_state["drill_field"] = field or ""
    left, right = st.columns(2)
    channel = left.selectbox(t("dash.drill.channel"), ["", *channels], key="drill_channel")
    fields = ["", *[f for f in heat(board.report, "completeness")]]
    field = right.selectbox(t("dash.drill.field_pick"), fields, key="drill_field",
                            format_func=lambda f: field_name(f) if f else t("dash.drill.all_fields"))  # fmt: skip
    if not channel:
        st.caption(t("dash.drill.none"))
        return
    st.subheader(t("dash.drill.title", channel=inert(channel)))
    rows = pd.DataFrame(drill(board, channel, field or None))
    for col in ("completeness", "validity", "consistency"):
        rows[col] = rows[col].map(share)
    rows["field"] = rows["field"].map(field_name)
    rows.columns = [t(f"col.{c}") for c in rows.columns]
    st.dataframe(rows, hide_index=True, key="drill_table")


def stewardship(board: Dashboard) -> None:
    k = board.report.all
    cells = st.columns(4)
    cells[0].metric(t("dash.stew.backlog_age"), f"{k.backlog_age_days['median']:.1f}")
    cells[1].metric(t("dash.stew.backlog_oldest"), f"{k.backlog_age_days['oldest']:.1f}")
    hours = k.median_decision_hours
    cells[2].metric(t("dash.stew.median_hours"), "—" if hours is None else f"{hours:.1f}")
    cells[3].metric(t("dash.stew.overturn"), share(k.overturn_rate))
    if not k.decisions_per_day:
        st.info(t("dash.stew.none"))
    else:
        per_day = pd.DataFrame(list(k.decisions_per_day.items()), columns=["day", "n"])
        fig = px.bar(per_day, x="day", y="n", title=t("dash.stew.per_day"),
                     labels={"day": t("dash.axis.day"), "n": t("dash.stew.decisions")})  # fmt: skip
        fig.update_xaxes(type="category")  # a date axis ticks at hours ("23:59:59.9996")
        st.plotly_chart(fig, key="per_day", config=CHART)
    if k.decisions_per_steward:
        per = pd.DataFrame([(plot_label(who), n) for who, n in k.decisions_per_steward.items()],
                           columns=["who", "n"])  # fmt: skip
        st.plotly_chart(px.bar(per, x="who", y="n", title=t("dash.stew.per_steward"),
                               labels={"who": t("dash.stew.steward"),
                                       "n": t("dash.stew.decisions")}),
                        key="per_steward", config=CHART)  # fmt: skip


def targets_and_export(board: Dashboard) -> None:
    rows = []
    for c in board.checks:
        state = ("dash.targets.unmeasured" if c.met is None
                 else "dash.targets.met" if c.met else "dash.targets.off")  # fmt: skip
        rows.append({t("dash.targets.kpi"): c.target.path,
                     t("dash.targets.target"): f"{c.target.op} {c.target.format(c.target.threshold)}",
                     t("dash.targets.value"): c.target.format(c.value),
                     t("dash.targets.state"): t(state)})  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="targets_table")
    st.caption(t("dash.targets.help"))
    st.download_button(t("dash.export"), kpi_workbook(board), file_name=f"kpis-{board.as_of}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="kpi_export", icon=":material/download:")  # fmt: skip
    st.caption(t("dash.images"))


st.title(t("dash.title"))
guard("read_kpis")
board = cached(_board)()
as_of = (t("dash.as_of", day=board.as_of, previous=board.previous_day) if board.previous_day
         else t("dash.as_of_first", day=board.as_of))  # fmt: skip
st.caption(as_of + (t("dash.synthetic", n=board.synthetic_days) if board.synthetic_days else ""))
tiles(board)
tab_trend, tab_heat, tab_channels, tab_stew, tab_targets = st.tabs(
    [t("dash.tab.trends"), t("dash.tab.heat"), t("dash.tab.channels"),
     t("dash.tab.stewardship"), t("dash.tab.targets")]
)  # fmt: skip
with tab_trend:
    trends(board)
with tab_heat:
    cell = heat_map(board)
with tab_channels:
    bar = channels_chart(board)
with tab_stew:
    stewardship(board)
with tab_targets:
    targets_and_export(board)
drill_down(board, cell or ((bar, None) if bar else None))
