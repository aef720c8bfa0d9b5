// Eval360 dashboard: live panels over server-sent events, and small conveniences. No framework, nothing from a CDN.
// A live panel is an element with data-live="/live/<panel>": each "panel" event carries its new HTML, rendered and
// encoded by the server from the same component as the page.
(function () {
    'use strict';

    function connect(element) {
        var source = new EventSource(element.getAttribute('data-live'));
        source.addEventListener('panel', function (event) {
            element.innerHTML = event.data;
            element.setAttribute('data-updated', String(Date.now()));
        });
        source.addEventListener('error', function () {
            // EventSource retries by itself; CLOSED means the dashboard refused (stopped, or restarted with a new token).
            if (source.readyState === EventSource.CLOSED) {
                var banner = document.getElementById('connection');
                if (banner) { banner.hidden = false; }
            }
        });
        element.setAttribute('data-connected', 'true');
    }

    document.addEventListener('DOMContentLoaded', function () {
        Array.prototype.forEach.call(document.querySelectorAll('[data-live]'), connect);

        // The report picker shows the chosen report at once.
        var picker = document.getElementById('report-run');
        if (picker && picker.form) {
            picker.addEventListener('change', function () { picker.form.submit(); });
        }
    });
})();
