/* crmlab site: Chinese interface strings the themes leave in English, and the search
   (Pagefind) that needs the site served over http (it cannot run from file://). */
(function () {
  const ZH = {
    "Toggle primary sidebar": "显示/隐藏章节目录",
    "Toggle secondary sidebar": "显示/隐藏本页目录",
    "Color mode": "配色",
    "Light": "浅色", "Dark": "深色", "System Settings": "跟随系统",
    "Search": "搜索", "Search...": "搜索……", "Search the docs ...": "搜索……",
    "Back to top": "回到顶部", "Contents": "本页目录", "On this page": "本页目录",
    "Copy": "复制", "Copy to clipboard": "复制", "Copied!": "已复制",
    "previous": "上一页", "next": "下一页",
    "Site navigation": "网站导航", "Section Navigation": "本节导航",
    "Download this page": "下载本页", "Fullscreen mode": "全屏",
    "Show code cell source": "显示代码", "Hide code cell source": "隐藏代码",
    "Toggle hidden content": "展开/折叠", "Main": "主导航", "Page": "本页",
    "© Copyright crmlab contributors.": "© crmlab 贡献者",
  };
  const ATTRIBUTES = ["title", "aria-label", "placeholder", "data-bs-original-title",
                      "data-tooltip"];

  function translate(root) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (el.nodeType !== 1) continue;
      for (const name of ATTRIBUTES) {
        const value = el.getAttribute(name);
        if (value && ZH[value.trim()]) el.setAttribute(name, ZH[value.trim()]);
      }
      for (const node of el.childNodes) {
        if (node.nodeType === 3 && ZH[node.textContent.trim()]) {
          node.textContent = node.textContent.replace(node.textContent.trim(),
                                                       ZH[node.textContent.trim()]);
        }
      }
    }
  }

  window.courseSearch = function (selector) {
    const element = document.querySelector(selector);
    if (!element) return null;
    if (window.location.protocol === "file:") {
      element.innerHTML = '<p class="course-search-offline">全文搜索需要通过网页服务器打开本网站：' +
        '在课程文件夹中运行 <code>make serve</code>（或 <code>python -m http.server 8000 ' +
        '--directory build/site</code>），再用浏览器打开 ' +
        '<code>http://127.0.0.1:8000</code>。直接双击打开的网页不能搜索。</p>';
      return null;
    }
    const ui = new PagefindUI({element: selector, showSubResults: true, showImages: false,
                               translations: {placeholder: "搜索课程（如：客户终身价值、RFM、投诉）",
                                              zero_results: "没有找到“[SEARCH_TERM]”",
                                              clear_search: "清除"}});
    const query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
    return ui;
  };

  document.addEventListener("DOMContentLoaded", function () {
    translate(document);
    // tooltips and buttons some scripts add later (copy buttons, code toggles)
    new MutationObserver(function (changes) {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node.nodeType === 1) translate(node);
        }
      }
    }).observe(document.body, {childList: true, subtree: true});
  });
})();
