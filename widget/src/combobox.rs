//! A text box with suggestions under it, after the ARIA combobox pattern: picked with the mouse, or with the
//! arrow keys and Enter; Escape and leaving the box close them. The map's search box and the courier's
//! address box are two of them. [`Debounce`] asks once per pause in typing and aborts what a newer key
//! makes stale.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::api::ApiError;

/// Wait after the last key before asking: one request per pause, not per letter.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The request in flight and the timer before the next.
#[derive(Default)]
struct Pending {
    timer: Option<TimeoutHandle>,
    request: Option<AbortController>,
}

/// One request per pause in typing: each call cancels the timer and the request of the one before.
#[derive(Clone)]
pub struct Debounce(SendWrapper<Rc<RefCell<Pending>>>);

impl Default for Debounce {
    fn default() -> Self {
        Self(SendWrapper::new(Rc::default()))
    }
}

impl Debounce {
    /// Calls `ask` after [`DEBOUNCE`] with a controller whose signal the next call (or [`Debounce::cancel`])
    /// aborts; `ask` checks it before using an answer.
    pub fn run(&self, ask: impl FnOnce(AbortController) + 'static) {
        self.cancel();
        let slot = Rc::clone(&self.0);
        self.0.borrow_mut().timer = set_timeout_with_handle(
            move || {
                let Ok(controller) = AbortController::new() else { return };
                let mut pending = slot.borrow_mut();
                pending.timer = None;
                pending.request = Some(controller.clone());
                drop(pending);
                ask(controller);
            },
            DEBOUNCE,
        )
        .ok();
    }

    pub fn cancel(&self) {
        let mut pending = self.0.borrow_mut();
        if let Some(timer) = pending.timer.take() {
            timer.clear();
        }
        if let Some(request) = pending.request.take() {
            request.abort();
        }
    }
}

/// Shows a search's answer: its suggestions (none when it failed), and under the box `nothing` when there
/// are none, `failed` when the search did not answer.
pub fn show<T: Send + Sync + 'static, N: Send + Sync + 'static>(
    answer: Result<Vec<T>, ApiError>,
    suggestions: RwSignal<Vec<T>>,
    note: RwSignal<Option<N>>,
    nothing: N,
    failed: N,
) {
    match answer {
        Ok(found) => {
            note.try_set(found.is_empty().then_some(nothing));
            suggestions.try_set(found);
        }
        Err(_) => {
            suggestions.try_set(Vec::new());
            note.try_set(Some(failed));
        }
    }
}

/// A suggestion as listed: what it is, and smaller under it, what kind or where.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub detail: String,
}

/// The box and its list. `lines` are the suggestions (none: the list is closed); typing goes to `on_type`,
/// the index of the one picked to `on_pick`, closing to `on_close`. `children` stand beside the box.
#[component]
pub fn Combobox(
    /// The list's id; its options are `{id}-0`, `{id}-1`…
    id: &'static str,
    /// The box's accessible name.
    label: &'static str,
    #[prop(optional)] placeholder: &'static str,
    /// The box's class and the list's, for the stylesheet and the page's tests.
    class: &'static str,
    list_class: &'static str,
    lines: Memo<Vec<Line>>,
    text: RwSignal<String>,
    on_type: Callback<String>,
    on_pick: Callback<usize>,
    on_close: Callback<()>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let active = RwSignal::new(None::<usize>);
    // New suggestions: none of them is active yet.
    crate::reactive::effect(move || {
        lines.track();
        active.set(None);
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let count = lines.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if count > 0 => {
                ev.prevent_default();
                on_pick.run(active.get_untracked().unwrap_or(0));
            }
            "Escape" if count > 0 => {
                ev.prevent_default();
                on_close.run(());
            }
            _ => {}
        }
    };
    let expanded = move || lines.with(|l| !l.is_empty());
    let placeholder = if placeholder.is_empty() { label } else { placeholder };
    view! {
        <div class="pvz-search-row">
            <input
                type="search"
                class=class
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=id
                aria-label=label
                placeholder=placeholder
                aria-expanded=move || if expanded() { "true" } else { "false" }
                aria-activedescendant=move || active.get().map(|i| format!("{id}-{i}"))
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    text.set(value.clone());
                    on_type.run(value);
                }
                on:keydown=on_key
                on:blur=move |_| on_close.run(())
            />
            {children.map(|children| children())}
        </div>
        <ul id=id class=list_class role="listbox" aria-label=label hidden=move || !expanded()>
            {move || {
                lines
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| {
                        view! {
                            <li
                                id=format!("{id}-{i}")
                                class="pvz-suggestion"
                                role="option"
                                aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                on:mousedown=move |ev| {
                                    ev.prevent_default();
                                    on_pick.run(i);
                                }
                            >
                                <span class="pvz-suggestion-label">{line.label}</span>
                                <span class="pvz-suggestion-detail">{line.detail}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
