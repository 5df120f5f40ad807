/* The campaign dashboard: plain JavaScript, hand-written SVG charts, no external assets.
 *
 * Reads only the gateway's public API (see /work/notes/gateway-api.md): a token from
 * POST /api/auth/token kept in sessionStorage, the organisation tree, the reporting
 * service's report, drill-down and export. Every label lives in TEXT and METRIC_TEXT.
 */
"use strict";

(function () {
  // ---------------------------------------------------------------- words (vi, en)
  const TEXT = {
    vi: {
      title: "Tự soi, tự sửa: bảng theo dõi", skip: "Bỏ qua đến nội dung",
      login_title: "Đăng nhập", username: "Tên đăng nhập", password: "Mật khẩu",
      login: "Đăng nhập", logout: "Đăng xuất", login_failed: "Sai tên đăng nhập hoặc mật khẩu.",
      session_expired: "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại.",
      period: "Kỳ báo cáo", period_kind: "Loại kỳ", year: "Năm", quarter: "Quý", month: "Tháng",
      kind_year: "Cả năm", kind_quarter: "Quý", kind_half: "6 tháng", kind_nine_months: "9 tháng",
      kind_month: "Tháng",
      export: "Xuất báo cáo", children: "Đơn vị trực thuộc", no_children: "Không có đơn vị trực thuộc.",
      chart_coverage: "Sinh hoạt chuyên đề theo đơn vị (đã tổ chức / phải tổ chức)",
      chart_groups: "Hạn chế, khuyết điểm theo nhóm", chart_remediation: "Tiến độ khắc phục",
      chart_oversight: "Kiểm tra, giám sát", chart_discipline: "Kỷ luật theo hình thức",
      chart_ratings: "Xếp loại chất lượng đảng viên",
      table_children: "So sánh các đơn vị trực thuộc", table_all: "Tất cả chỉ tiêu",
      unit: "Đơn vị", coverage: "Sinh hoạt chuyên đề", value: "Số liệu", metric: "Mã chỉ tiêu",
      line: "Chỉ tiêu", own: "Trực tiếp (cấp này)", nothing: "Chưa có số liệu trong kỳ.",
      loading: "Đang tải…", loaded: "Số liệu tính đến", close: "Đóng", failed: "Không tải được số liệu",
      drill_of: "Chi tiết", drill_total: "Số bản ghi", date: "Ngày", event: "Sự kiện",
      subject: "Đối tượng", source: "Nguồn", counted_under: "Tính vào đơn vị",
      share_good: "Tỷ lệ hoàn thành tốt nhiệm vụ trở lên", coverage_tile: "Đơn vị đã sinh hoạt chuyên đề",
      grant: "Quyền", no_grant: "Tài khoản chưa được giao đơn vị nào.",
      kinds: { province: "Tỉnh ủy", district: "Huyện ủy / Thành ủy", grassroots: "Đảng bộ cơ sở", cell: "Chi bộ" },
      switch_to: "English", all_orgs: "Tất cả tổ chức", pick_org: "Chọn một tổ chức đảng ở danh sách bên trái.",
    },
    en: {
      title: "Self-examine, self-correct: dashboard", skip: "Skip to content",
      login_title: "Sign in", username: "User name", password: "Password",
      login: "Sign in", logout: "Sign out", login_failed: "Wrong user name or password.",
      session_expired: "Your session has expired; please sign in again.",
      period: "Period", period_kind: "Kind", year: "Year", quarter: "Quarter", month: "Month",
      kind_year: "Year", kind_quarter: "Quarter", kind_half: "6 months", kind_nine_months: "9 months",
      kind_month: "Month",
      export: "Export", children: "Subordinate units", no_children: "No subordinate units.",
      chart_coverage: "Themed sessions by unit (held / required)",
      chart_groups: "Shortcomings by catalogue group", chart_remediation: "Remediation progress",
      chart_oversight: "Inspection and supervision", chart_discipline: "Discipline by form",
      chart_ratings: "Member ratings",
      table_children: "Subordinate units compared", table_all: "All figures",
      unit: "Unit", coverage: "Themed sessions", value: "Figure", metric: "Metric",
      line: "Line", own: "Own (this level)", nothing: "No figures in this period.",
      loading: "Loading…", loaded: "Figures as of", close: "Close", failed: "Could not load the figures",
      drill_of: "Records behind", drill_total: "Records", date: "Date", event: "Event",
      subject: "Subject", source: "Source", counted_under: "Counted under",
      share_good: "Share rated good or better", coverage_tile: "Units that held the themed session",
      grant: "Grant", no_grant: "This account has no organisation granted.",
      kinds: { province: "Provincial committee", district: "District committee", grassroots: "Grassroots committee", cell: "Party cell" },
      switch_to: "Tiếng Việt", all_orgs: "All organisations", pick_org: "Pick a party organisation from the list.",
    },
  };

  // Report lines, mirroring services/reporting/reporting/labels.py (vi, en).
  const LINES = {
    "plans.issued": ["Kế hoạch đã ban hành", "Plans issued"],
    "plans.cascaded": ["Kế hoạch cụ thể hóa kế hoạch cấp trên", "Plans cascaded from a parent plan"],
    "plans.units_required": ["Đơn vị phải ban hành kế hoạch", "Units required to issue a plan"],
    "plans.units_issued": ["Đơn vị đã ban hành kế hoạch", "Units that issued their own plan"],
    "plans.units_pending": ["Đơn vị chưa ban hành kế hoạch", "Units that have not issued their plan"],
    "plans.flagged_as_copy": ["Kế hoạch sao chép cấp trên", "Plans flagged as copies"],
    "tasks.assigned": ["Nhiệm vụ được giao", "Tasks assigned"],
    "tasks.due": ["Nhiệm vụ đến hạn", "Tasks due"],
    "tasks.completed": ["Nhiệm vụ hoàn thành", "Tasks completed"],
    "tasks.overdue": ["Nhiệm vụ quá hạn", "Tasks overdue"],
    "sessions.scheduled": ["Buổi sinh hoạt đã lên lịch", "Sessions scheduled"],
    "sessions.held": ["Buổi sinh hoạt chuyên đề đã tổ chức", "Themed sessions held"],
    "sessions.units_held": ["Đơn vị đã sinh hoạt chuyên đề", "Units that held the themed session"],
    "sessions.units_required": ["Đơn vị phải sinh hoạt chuyên đề", "Units required to hold it"],
    "sessions.attendances": ["Lượt đảng viên dự", "Attendances"],
    "sessions.pilot": ["Buổi sinh hoạt điểm", "Pilot sessions"],
    "sessions.non_compliant": ["Buổi sinh hoạt chưa đúng quy định", "Non-compliant sessions"],
    "shortcomings.recorded": ["Hạn chế, khuyết điểm", "Shortcomings recorded"],
    "remediation.opened": ["Hạn chế phải khắc phục", "Shortcomings to remedy"],
    "remediation.submitted": ["Kế hoạch khắc phục đã nộp", "Remediation plans submitted"],
    "remediation.in_progress": ["Đang khắc phục", "Remediation in progress"],
    "remediation.progress_reported": ["Lượt báo cáo tiến độ khắc phục", "Progress reports"],
    "remediation.remedied": ["Đã khắc phục xong", "Remedied"],
    "remediation.overdue": ["Khắc phục quá hạn", "Remediation overdue"],
    "discipline.proposed": ["Đề nghị kỷ luật", "Discipline proposed"],
    "discipline.time_barred": ["Hết thời hiệu kỷ luật", "Discipline time-barred"],
    "appeals.lodged": ["Khiếu nại kỷ luật", "Appeals lodged"],
    "reviews.suggested": ["Gợi ý kiểm điểm", "Review suggestions"],
    "reviews.answered": ["Gợi ý kiểm điểm đã trả lời", "Review suggestions answered"],
    "programme.items_planned": ["Nội dung chương trình kiểm tra, giám sát", "Programme items planned"],
    "programme.items_carried_out": ["Nội dung chương trình đã thực hiện", "Programme items carried out"],
  };
  const WORDS = {
    organisation: ["tổ chức đảng", "organisations"], member: ["đảng viên", "members"],
    full_member: ["đảng viên chính thức", "full members"],
    probationary_member: ["đảng viên dự bị", "probationary members"],
    regular_inspection: ["Kiểm tra thường xuyên", "Regular inspection"],
    inspection_on_signs_of_violation: ["Kiểm tra khi có dấu hiệu vi phạm", "Inspection on signs of violation"],
    inspection_of_lower_body_discipline_work: ["Kiểm tra việc thi hành kỷ luật của cấp dưới",
      "Inspection of lower bodies' discipline work"],
    thematic_supervision: ["Giám sát chuyên đề", "Thematic supervision"],
    regular_supervision: ["Giám sát thường xuyên", "Regular supervision"],
    violation_found: ["Có vi phạm", "Found with violations"],
    violation_signs: ["Có dấu hiệu vi phạm", "Found with signs of violation"],
    reprimand: ["Khiển trách", "Reprimand"], warning: ["Cảnh cáo", "Warning"],
    removal_from_post: ["Cách chức", "Removal from post"], expulsion: ["Khai trừ", "Expulsion"],
    dissolution: ["Giải tán", "Dissolution"], upheld: ["giữ nguyên", "upheld"],
    changed: ["thay đổi hình thức", "changed"], quashed: ["hủy quyết định", "quashed"],
    excellent: ["Hoàn thành xuất sắc nhiệm vụ", "Excellent"], good: ["Hoàn thành tốt nhiệm vụ", "Good"],
    completed: ["Hoàn thành nhiệm vụ", "Completed"], not_completed: ["Không hoàn thành nhiệm vụ", "Not completed"],
    rated: ["Số được xếp loại", "Rated"], good_or_better: ["Hoàn thành tốt nhiệm vụ trở lên", "Good or better"],
    good_or_better_share: ["Tỷ lệ hoàn thành tốt trở lên (%)", "Share good or better (%)"],
  };
  const GROUP_NAMES = {
    I: ["Nhóm I: tư tưởng chính trị (NQ04)", "Group I: political ideology (NQ04)"],
    II: ["Nhóm II: đạo đức, lối sống (NQ04)", "Group II: ethics and lifestyle (NQ04)"],
    III: ["Nhóm III: \"tự diễn biến\", \"tự chuyển hóa\" (NQ04)", "Group III: self-evolution, self-transformation (NQ04)"],
    QD37: ["19 điều đảng viên không được làm (QĐ37)", "19 things members must not do (QD37)"],
    RA: ["Lĩnh vực kiểm điểm", "Review areas"],
  };
  const EVENT_NAMES = {
    SessionHeld: ["Tổ chức sinh hoạt", "Session held"], ShortcomingRecorded: ["Ghi nhận hạn chế", "Shortcoming recorded"],
    RemediationOpened: ["Mở khắc phục", "Remediation opened"],
    RemediationPlanSubmitted: ["Nộp kế hoạch khắc phục", "Remediation plan submitted"],
    RemediationProgressReported: ["Báo cáo tiến độ", "Progress reported"],
    ShortcomingRemedied: ["Đã khắc phục", "Remedied"], RemediationOverdue: ["Quá hạn khắc phục", "Remediation overdue"],
    InspectionOpened: ["Quyết định kiểm tra", "Inspection opened"], InspectionConcluded: ["Kết luận kiểm tra", "Inspection concluded"],
    SupervisionConducted: ["Giám sát", "Supervision conducted"], DisciplineImposed: ["Thi hành kỷ luật", "Discipline imposed"],
    DisciplineProposed: ["Đề nghị kỷ luật", "Discipline proposed"], DisciplineAppealed: ["Khiếu nại", "Appeal lodged"],
    AppealDecided: ["Giải quyết khiếu nại", "Appeal decided"], RatingAssigned: ["Xếp loại", "Rating assigned"],
    PlanIssued: ["Ban hành kế hoạch", "Plan issued"], PlanTaskAssigned: ["Giao nhiệm vụ", "Task assigned"],
    PlanTaskCompleted: ["Hoàn thành nhiệm vụ", "Task completed"], OrganizationRegistered: ["Thành lập tổ chức", "Organisation registered"],
    SessionScheduled: ["Lên lịch sinh hoạt", "Session scheduled"], ReviewSuggested: ["Gợi ý kiểm điểm", "Review suggested"],
  };

  const ALL = "*";  // a grant on every organisation
  const PERIOD_KINDS = ["year", "quarter", "half", "nine_months", "month"];
  const RATING_LEVELS = ["excellent", "good", "completed", "not_completed"];
  const REMEDIATION = ["remediation.submitted", "remediation.in_progress", "remediation.remedied", "remediation.overdue"];
  const TILES = ["sessions.held", "sessions.attendances", "sessions.pilot", "shortcomings.recorded",
    "remediation.overdue", "appeals.lodged"];

  // ---------------------------------------------------------------- state
  const state = {
    lang: localStorage.getItem("dashboard.lang") === "en" ? "en" : "vi",
    token: sessionStorage.getItem("dashboard.token"),
    user: null, root: null, node: null, orgs: new Map(), report: null,
    period: null, seq: 0,
  };
  const $ = (id) => document.getElementById(id);
  const li = () => (state.lang === "vi" ? 0 : 1);
  const t = (key) => TEXT[state.lang][key] ?? key;

  function word(key) { return (WORDS[key] || [key, key])[li()]; }

  /** A report line's heading: the same composition as reporting/labels.py. */
  function label(metric) {
    const l = li();
    if (LINES[metric]) return LINES[metric][l];
    const parts = metric.split(".");
    const head = parts[0];
    let rest = parts.slice(1);
    const committee = rest.length > 0 && rest[rest.length - 1] === "committee";
    if (committee) rest = rest.slice(0, -1);
    if (head === "shortcomings" && rest.length === 2) {
      if (rest[0] === "group" && GROUP_NAMES[rest[1]]) return GROUP_NAMES[rest[1]][l];
      const kind = rest[0] === "item" ? ["Hạn chế theo nội dung", "Shortcomings by item"]
        : ["Hạn chế theo nhóm", "Shortcomings by group"];
      return `${kind[l]}: ${rest[1]}`;
    }
    if (["inspected", "supervised", "inspections"].includes(head) && rest.length === 2) {
      let text = `${word(rest[0])}: ${word(rest[1])}`;
      if (head === "inspections") text = (l === 0 ? "Kết luận kiểm tra: " : "Inspections concluded: ") + word(rest[1]);
      if (committee) text += l === 0 ? " (cấp ủy viên)" : " (of which committee members)";
      return text;
    }
    if (head === "discipline" && rest.length === 2) {
      return `${l === 0 ? "Kỷ luật " : "Discipline of "}${word(rest[0])}: ${word(rest[1])}`;
    }
    if (head === "appeals" && rest.length === 2) {
      return (l === 0 ? "Khiếu nại đã giải quyết: " : "Appeals decided: ") + word(rest[1]);
    }
    if (head === "ratings" && rest.length === 2) {
      return `${l === 0 ? "Xếp loại " : "Rating of "}${word(rest[0])}: ${word(rest[1])}`;
    }
    return metric;
  }

  function fmt(value) {
    if (typeof value !== "number") return String(value ?? "");
    return new Intl.NumberFormat(state.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 }).format(value);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error && body.error.message) || `HTTP ${status}`);
      this.status = status;
    }
  }

  async function api(path, options) {
    const headers = { Accept: "application/json" };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const init = { method: "GET", ...options, headers: { ...headers, ...((options || {}).headers || {}) } };
    const response = await fetch(path, init);
    if (response.status === 401 && state.token) {
      signOut(t("session_expired"));
      throw new ApiError(401, null);
    }
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch (_) { /* not JSON */ }
      throw new ApiError(response.status, body);
    }
    return response;
  }
  const getJson = async (path) => (await api(path)).json();

  async function organization(orgId) {
    if (!state.orgs.has(orgId)) state.orgs.set(orgId, await getJson(`/api/organizations/${encodeURIComponent(orgId)}`));
    return state.orgs.get(orgId);
  }

  // ---------------------------------------------------------------- periods
  function periodSpec(p) {
    if (p.kind === "quarter") return `quarter:${p.year}-${p.part}`;
    if (p.kind === "month") return `month:${p.year}-${String(p.part).padStart(2, "0")}`;
    return `${p.kind}:${p.year}`;
  }
  function parsePeriod(text) {
    const m = /^(year|half|nine_months):(\d{4})$/.exec(text || "")
      || /^(quarter):(\d{4})-([1-4])$/.exec(text || "") || /^(month):(\d{4})-(\d{2})$/.exec(text || "");
    if (!m) return null;
    return { kind: m[1], year: Number(m[2]), part: m[3] ? Number(m[3]) : 1 };
  }
  function periodText(p) {
    const T = TEXT[state.lang];
    if (p.kind === "quarter") return `${T.quarter} ${p.part}/${p.year}`;
    if (p.kind === "month") return `${T.month} ${p.part}/${p.year}`;
    if (p.kind === "year") return `${T.year} ${p.year}`;
    return `${T["kind_" + p.kind]} ${p.year}`;
  }

  function fillPeriodPicker() {
    const p = state.period;
    const kind = $("period-kind");
    kind.replaceChildren(...PERIOD_KINDS.map((k) => el("option", { value: k, selected: k === p.kind, text: t("kind_" + k) })));
    const thisYear = new Date().getFullYear();
    const years = [];
    for (let y = thisYear + 1; y >= thisYear - 6; y--) years.push(y);
    if (!years.includes(p.year)) years.push(p.year);
    $("period-year").replaceChildren(...years.map((y) => el("option", { value: y, selected: y === p.year, text: String(y) })));
    const part = $("period-part");
    const wrap = $("period-part-wrap");
    if (p.kind === "quarter" || p.kind === "month") {
      wrap.hidden = false;
      $("period-part-label").textContent = t(p.kind);
      const n = p.kind === "quarter" ? 4 : 12;
      const options = [];
      for (let i = 1; i <= n; i++) options.push(el("option", { value: i, selected: i === p.part, text: String(i) }));
      part.replaceChildren(...options);
    } else {
      wrap.hidden = true;
      part.replaceChildren();
    }
  }

  function readPeriodPicker() {
    const kind = $("period-kind").value;
    const year = Number($("period-year").value);
    let part = Number($("period-part").value || 1);
    if (kind !== state.period.kind) part = 1;
    state.period = { kind, year, part };
  }

  // ---------------------------------------------------------------- routing (#org=..&period=..)
  function writeHash() {
    if (!state.node) return;
    const hash = `#org=${encodeURIComponent(state.node.org_id)}&period=${encodeURIComponent(periodSpec(state.period))}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    return { org: params.get("org"), period: parsePeriod(params.get("period")) };
  }

  // ---------------------------------------------------------------- login
  async function signIn(event) {
    event.preventDefault();
    $("login-error").textContent = "";
    const body = JSON.stringify({ username: $("username").value, password: $("password").value });
    let response;
    try {
      response = await fetch("/api/auth/token", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    } catch (_) {
      $("login-error").textContent = t("failed");
      return;
    }
    if (!response.ok) {
      $("login-error").textContent = t("login_failed");
      return;
    }
    const data = await response.json();
    state.token = data.token;
    sessionStorage.setItem("dashboard.token", data.token);
    $("password").value = "";
    await start(data.user);
  }

  function signOut(message) {
    state.token = null;
    state.user = null;
    sessionStorage.removeItem("dashboard.token");
    $("dash-view").hidden = true;
    $("logout").hidden = true;
    $("who").textContent = "";
    $("login-view").hidden = false;
    $("login-error").textContent = message || "";
    $("username").focus();
  }

  async function start(user) {
    state.user = user || (await getJson("/api/me"));
    const grant = (state.user.grants || []).find((g) => g.org_id);
    $("login-view").hidden = true;
    $("dash-view").hidden = false;
    $("logout").hidden = false;
    $("who").textContent = state.user.display_name || state.user.username;
    if (!grant) {
      $("status").textContent = t("no_grant");
      return;
    }
    state.root = grant.org_id === ALL ? { org_id: ALL, name: t("all_orgs"), virtual: true } : await organization(grant.org_id);
    const wanted = readHash();
    state.period = wanted.period || state.period || { kind: "year", year: new Date().getFullYear(), part: 1 };
    let node = state.root;
    if (wanted.org && wanted.org !== state.root.org_id) {
      try {
        node = await organization(wanted.org);
      } catch (_) {
        node = state.root;
      }
    }
    await show(node);
  }

  // ---------------------------------------------------------------- navigation
  async function pathTo(node) {
    const path = [node];
    let current = node;
    while (current.org_id !== state.root.org_id && current.parent_id) {
      current = await organization(current.parent_id);
      path.unshift(current);
    }
    if (state.root.virtual && path[0].org_id !== ALL) path.unshift(state.root);
    return path[0].org_id === state.root.org_id ? path : [state.root];
  }

  /** An administrator's grant covers every tree: its tops are the orgs without a parent. */
  async function topOrganizations() {
    const data = await getJson("/api/organizations?limit=1000");
    return (data.items || []).filter((o) => !o.parent_id);
  }

  async function show(node) {
    const path = await pathTo(node);
    state.node = path[path.length - 1];
    writeHash();
    renderCrumbs(path);
    fillPeriodPicker();
    await Promise.all([loadChildren(), loadReport()]);
  }

  function kindName(kind) { return TEXT[state.lang].kinds[kind] || kind || ""; }

  function renderCrumbs(path) {
    $("crumbs").replaceChildren(...path.map((org, i) => {
      const last = i === path.length - 1;
      return el("li", {},
        last ? el("span", { "aria-current": "page", "data-testid": `crumb-${org.org_id}`, text: org.name })
          : el("button", { type: "button", "data-testid": `crumb-${org.org_id}`, onclick: () => show(org), text: org.name }));
    }));
  }

  async function loadChildren() {
    const list = $("children");
    list.replaceChildren(el("li", { text: t("loading") }));
    const items = (state.node.virtual ? await topOrganizations()
      : (await getJson(`/api/organizations/${encodeURIComponent(state.node.org_id)}/children`)).items || [])
      .filter((o) => !o.dissolved_on);
    items.forEach((o) => state.orgs.set(o.org_id, o));
    if (!items.length) {
      list.replaceChildren(el("li", { class: "empty", text: t("no_children") }));
      return;
    }
    list.replaceChildren(...items.map((o) => el("li", {},
      el("button", { type: "button", "data-testid": `child-${o.org_id}`, onclick: () => show(o) },
        o.name, el("span", { class: "kind", text: kindName(o.kind) })))));
  }

  // ---------------------------------------------------------------- report
  async function loadReport() {
    const seq = ++state.seq;
    const node = state.node;
    $("node-name").textContent = node.name;
    $("period-label").textContent = periodText(state.period);
    if (node.virtual) {
      state.report = null;
      clearBoard();
      $("status").textContent = t("pick_org");
      return;
    }
    $("status").textContent = t("loading");
    $("dash-view").setAttribute("aria-busy", "true");
    $("dash-view").removeAttribute("data-loaded");
    try {
      const report = await getJson(`/api/reports/${encodeURIComponent(node.org_id)}?period=${encodeURIComponent(periodSpec(state.period))}`);
      if (seq !== state.seq) return;  // a newer choice was made meanwhile
      state.report = report;
      render();
      $("status").textContent = `${t("loaded")} ${report.as_of || new Date().toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB")}`;
      $("dash-view").setAttribute("data-loaded", `${node.org_id}|${periodSpec(state.period)}`);
    } catch (error) {
      if (seq !== state.seq) return;
      $("status").textContent = `${t("failed")}: ${error.message}`;
    } finally {
      if (seq === state.seq) $("dash-view").removeAttribute("aria-busy");
    }
  }

  function clearBoard() {
    for (const id of ["tiles", "chart-coverage", "chart-groups", "chart-remediation", "chart-oversight",
      "chart-discipline", "chart-ratings", "children-table", "figures-table"]) $(id).replaceChildren();
  }

  function render() {
    const report = state.report;
    if (!report) return;
    const figures = report.figures || {};
    renderTiles(figures);
    renderCoverage(report);
    const groups = Object.keys(figures).filter((m) => m.startsWith("shortcomings.group.")).sort(groupOrder);
    barChart($("chart-groups"), groups.map((m) => bar(m, figures[m])), "groups");
    barChart($("chart-remediation"), REMEDIATION.map((m) => bar(m, figures[m] || 0)), "remediation");
    const oversight = Object.keys(figures).filter((m) => /^(inspected|supervised|inspections)\./.test(m)).sort();
    barChart($("chart-oversight"), oversight.map((m) => bar(m, figures[m])), "oversight");
    const discipline = Object.keys(figures).filter((m) => /^(discipline|appeals)\./.test(m)).sort();
    barChart($("chart-discipline"), discipline.map((m) => bar(m, figures[m])), "discipline");
    renderRatings(figures);
    renderChildrenTable(report);
    renderFiguresTable(figures);
  }

  function groupOrder(a, b) {
    const order = ["I", "II", "III", "QD37", "RA"];
    const ka = order.indexOf(a.split(".")[2]);
    const kb = order.indexOf(b.split(".")[2]);
    return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb) || a.localeCompare(b);
  }

  function bar(metric, value, orgId) {
    return { key: metric, metric, value: value || 0, label: label(metric), orgId };
  }

  function renderTiles(figures) {
    const held = figures["sessions.units_held"] || 0;
    const required = figures["sessions.units_required"] || 0;
    const tiles = [el("button", { type: "button", class: "tile", "data-testid": "tile-coverage",
      "data-value": `${held}/${required}`, onclick: () => drill("sessions.units_held") },
    el("span", { class: "value", text: `${held}/${required}` }), el("span", { class: "label", text: t("coverage_tile") }))];
    for (const metric of TILES) {
      const value = figures[metric] || 0;
      tiles.push(el("button", { type: "button", class: `tile${metric.endsWith("overdue") && value ? " bad" : ""}`,
        "data-testid": `tile-${metric}`, "data-value": value, onclick: () => drill(metric) },
      el("span", { class: "value", text: fmt(value) }), el("span", { class: "label", text: label(metric) })));
    }
    const share = figures["ratings.member.good_or_better_share"];
    if (share !== undefined) {
      tiles.push(el("button", { type: "button", class: "tile", "data-testid": "tile-ratings.member.good_or_better_share",
        "data-value": share, onclick: () => drill("ratings.member.good_or_better") },
      el("span", { class: "value", text: `${fmt(share)}%` }), el("span", { class: "label", text: t("share_good") })));
    }
    $("tiles").replaceChildren(...tiles);
  }

  function renderCoverage(report) {
    const rows = (report.children || []).map((child) => {
      const f = child.figures || {};
      return { key: child.org_id, orgId: child.org_id, metric: "sessions.units_held", label: child.name,
        value: f["sessions.units_held"] || 0, of: f["sessions.units_required"] || 0 };
    });
    const own = report.own || {};
    if ((own["sessions.units_required"] || 0) > 0) {
      rows.push({ key: "own", orgId: report.org.org_id, own: true, metric: "sessions.units_held", label: t("own"),
        value: own["sessions.units_held"] || 0, of: own["sessions.units_required"] || 0 });
    }
    barChart($("chart-coverage"), rows, "coverage", { fraction: true });
  }

  function renderRatings(figures) {
    const target = $("chart-ratings");
    const rated = figures["ratings.member.rated"] || 0;
    barChart(target, RATING_LEVELS.map((lv) => bar(`ratings.member.${lv}`, figures[`ratings.member.${lv}`] || 0)), "ratings");
    if (rated) {
      const share = figures["ratings.member.good_or_better_share"];
      target.append(el("p", { class: "share", "data-testid": "ratings-share", "data-value": share,
        text: `${t("share_good")}: ${fmt(share)}% (${fmt(figures["ratings.member.good_or_better"] || 0)}/${fmt(rated)})` }));
    }
  }

  // ---------------------------------------------------------------- SVG bar chart
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    children.flat().forEach((c) => c !== null && c !== undefined && node.append(c));
    return node;
  }

  /** Horizontal bars with the label above each bar; each bar opens its drill-down. */
  function barChart(target, rows, name, options) {
    const fraction = options && options.fraction;
    if (!rows.length || rows.every((r) => !r.value && !r.of)) {
      target.replaceChildren(el("p", { class: "empty", "data-testid": `empty-${name}`, text: t("nothing") }));
      return;
    }
    const width = 560;
    const rowHeight = 38;
    const labelWidth = 0;
    const valueWidth = 70;
    const max = Math.max(1, ...rows.map((r) => (fraction ? r.of : r.value) || 0));
    const barSpace = width - labelWidth - valueWidth - 4;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowHeight + 4}`, role: "group",
      "aria-label": t(`chart_${name}`) || name, "data-testid": `svg-${name}` });
    rows.forEach((row, i) => {
      const y = i * rowHeight;
      const shown = fraction ? `${row.value}/${row.of}` : fmt(row.value);
      const full = fraction ? Math.round((barSpace * row.of) / max) : 0;
      const filled = Math.round((barSpace * row.value) / max);
      const title = `${row.label}: ${shown}`;
      const testid = fraction ? `coverage-${row.orgId}${row.own ? "-own" : ""}` : `bar-${row.metric}`;
      const open = () => drill(row.metric, row.own ? state.report.org.org_id : (fraction ? row.orgId : undefined), row.label);
      chart.append(svg("g", {
        class: "bar", tabindex: 0, role: "button", "aria-label": title, "data-testid": testid,
        "data-value": fraction ? shown : row.value,
        onclick: open, onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } },
      },
      svg("title", {}, title),
      svg("text", { x: 0, y: y + 12, "font-size": 12, fill: "#1d2330" }, truncate(row.label, 80)),
      fraction ? svg("rect", { x: 0, y: y + 17, width: Math.max(full, 2), height: 14, fill: "#e3e8f1", rx: 2 }) : null,
      svg("rect", { class: "fill", x: 0, y: y + 17, width: Math.max(filled, row.value ? 2 : 0), height: 14,
        fill: fraction && row.of && row.value >= row.of ? "#2e7d32" : "#2f5d9e", rx: 2 }),
      svg("text", { x: width - valueWidth + 6, y: y + 29, "font-size": 13, "font-weight": 600, fill: "#1d2330" }, shown)));
    });
    target.replaceChildren(chart);
  }

  function truncate(text, n) { return text.length > n ? `${text.slice(0, n - 1)}…` : text; }

  // ---------------------------------------------------------------- tables
  function renderChildrenTable(report) {
    const cols = ["sessions.held", "shortcomings.recorded", "remediation.remedied", "remediation.overdue",
      "ratings.member.good_or_better_share"];
    const head = el("tr", {}, el("th", { scope: "col", text: t("unit") }), el("th", { scope: "col", class: "num", text: t("coverage") }),
      cols.map((m) => el("th", { scope: "col", class: "num", text: label(m) })));
    const body = (report.children || []).map((child) => {
      const f = child.figures || {};
      return el("tr", { "data-testid": `row-${child.org_id}` },
        el("th", { scope: "row" }, el("button", { type: "button", class: "linkish", onclick: () => organization(child.org_id).then(show),
          text: child.name })),
        el("td", { class: "num", "data-testid": `cell-${child.org_id}-coverage`,
          text: `${f["sessions.units_held"] || 0}/${f["sessions.units_required"] || 0}` }),
        cols.map((m) => el("td", { class: "num", "data-testid": `cell-${child.org_id}-${m}`, "data-value": f[m] ?? 0 },
          el("button", { type: "button", onclick: () => drill(m, child.org_id, child.name), text: f[m] === undefined ? "–" : fmt(f[m]) }))));
    });
    $("children-table").replaceChildren(el("thead", {}, head), el("tbody", {}, body.length ? body
      : el("tr", {}, el("td", { colspan: cols.length + 2, text: t("no_children") }))));
  }

  function renderFiguresTable(figures) {
    const metrics = Object.keys(figures).sort();
    const rows = metrics.map((m) => el("tr", {},
      el("td", { text: label(m) }), el("td", { class: "metric", text: m }),
      el("td", { class: "num", "data-testid": `figure-${m}`, "data-metric": m, "data-value": figures[m] },
        el("button", { type: "button", onclick: () => drill(m), "aria-label": `${label(m)}: ${fmt(figures[m])}`, text: fmt(figures[m]) }))));
    $("figures-table").replaceChildren(
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("line") }), el("th", { scope: "col", text: t("metric") }),
        el("th", { scope: "col", class: "num", text: t("value") }))),
      el("tbody", {}, rows));
  }

  // ---------------------------------------------------------------- drill-down
  function drillMetric(metric) {
    // A share is not a count of records: show the records it was computed from.
    return metric.endsWith(".good_or_better_share") ? metric.replace(/_share$/, "") : metric;
  }

  async function drill(metric, orgId, unitName) {
    const org = orgId || state.node.org_id;
    const dialog = $("drill");
    const shown = drillMetric(metric);
    $("drill-title").textContent = `${t("drill_of")}: ${label(shown)} · ${unitName || state.node.name} · ${periodText(state.period)}`;
    $("drill-total").textContent = t("loading");
    $("drill-table").replaceChildren();
    dialog.removeAttribute("data-loaded");
    if (!dialog.open) dialog.showModal();
    try {
      const data = await getJson(`/api/reports/${encodeURIComponent(org)}/drill-down?metric=${encodeURIComponent(shown)}` +
        `&period=${encodeURIComponent(periodSpec(state.period))}`);
      const items = data.items || [];
      $("drill-total").textContent = `${t("drill_total")}: ${fmt(data.total ?? items.length)}`;
      $("drill-total").setAttribute("data-value", data.total ?? items.length);
      const name = (id) => (state.orgs.get(id) || {}).name || id;
      $("drill-table").replaceChildren(
        el("thead", {}, el("tr", {}, [t("date"), t("unit"), t("event"), t("subject"), t("value"), t("source")]
          .map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, items.map((r) => el("tr", { "data-testid": "drilldown-row" },
          el("td", { text: r.date || r.on_date || "" }),
          el("td", { text: name(r.org_id) }),
          el("td", { text: (EVENT_NAMES[r.event_type] || [r.event_type, r.event_type])[li()] }),
          el("td", { text: [r.subject_kind, r.subject || r.subject_id].filter(Boolean).join(": ") }),
          el("td", { class: "num", text: fmt(r.value) }),
          el("td", { class: "metric", title: r.event_id || "", text: `${r.source || ""} #${r.position ?? ""}` })))));
      dialog.setAttribute("data-loaded", "true");
    } catch (error) {
      $("drill-total").textContent = `${t("failed")}: ${error.message}`;
    }
  }

  // ---------------------------------------------------------------- export
  async function download(format) {
    const url = `/api/reports/${encodeURIComponent(state.node.org_id)}/export?period=${encodeURIComponent(periodSpec(state.period))}` +
      `&format=${format}&lang=${state.lang}`;
    try {
      const response = await api(url);
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
      const name = match ? decodeURIComponent(match[1]) : `report-${state.node.org_id}-${periodSpec(state.period).replace(":", "-")}.${format}`;
      const link = el("a", { href: URL.createObjectURL(blob), download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      $("status").textContent = `${t("failed")}: ${error.message}`;
    }
  }

  // ---------------------------------------------------------------- language
  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
    $("lang").textContent = t("switch_to");
    $("lang").setAttribute("aria-label", t("switch_to"));
    if (state.period) fillPeriodPicker();
    if (state.node) {
      $("period-label").textContent = periodText(state.period);
      loadChildren().catch(() => {});
    }
    render();
  }

  // ---------------------------------------------------------------- wiring
  function wire() {
    $("login-form").addEventListener("submit", signIn);
    $("logout").addEventListener("click", () => signOut(""));
    $("lang").addEventListener("click", () => {
      state.lang = state.lang === "vi" ? "en" : "vi";
      localStorage.setItem("dashboard.lang", state.lang);
      applyLanguage();
    });
    for (const id of ["period-kind", "period-year", "period-part"]) {
      $(id).addEventListener("change", () => {
        readPeriodPicker();
        fillPeriodPicker();
        writeHash();
        loadReport();
      });
    }
    $("export-csv").addEventListener("click", () => download("csv"));
    $("export-xlsx").addEventListener("click", () => download("xlsx"));
    $("drill-close").addEventListener("click", () => $("drill").close());
  }

  async function boot() {
    wire();
    applyLanguage();
    if (!state.token) {
      signOut("");
      return;
    }
    try {
      await start(null);
    } catch (_) {
      signOut("");
    }
  }

  document.addEventListener("DOMContentLoaded", boot);
})();
