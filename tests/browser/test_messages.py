"""A question from a patient's phone reaches the therapist's inbox, and the answer comes
back: in English and in Spanish, at 375 px, with CSRF enforced by the live server."""

import pytest
from playwright.sync_api import expect

from messaging.models import Message
from tests.browser.conftest import assert_accessible, login

WORDS = {
    "en": {
        "user": "Username or email",
        "password": "Password",
        "sign_in": "Sign in",
        "nav": "Messages",
        "field": "Your message",
        "send": "Send message",
        "reply_time": "We answer within 48 hours.",
        "not_emergency": "Messages are not for emergencies.",
        "question": "Is it normal that my back aches a little after the press-ups?",
        "answer": "Yes, a little ache is normal. Keep going.",
    },
    "es": {
        "user": "Nombre de usuario o correo electrónico",
        "password": "Contraseña",
        "sign_in": "Iniciar sesión",
        "nav": "Mensajes",
        "field": "Su mensaje",
        "send": "Enviar mensaje",
        "reply_time": "Respondemos en un plazo de 48 horas.",
        "not_emergency": "Los mensajes no son para urgencias.",
        "question": "¿Es normal que me duela un poco la espalda después de los ejercicios?",
        "answer": "Sí, es normal. Siga con los ejercicios.",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_question_from_a_phone_is_answered_from_the_inbox(
    browser, live_server, page, clinic, patient, therapist, password, language
):
    words = WORDS[language]
    patient.preferred_language = language
    patient.save(update_fields=["preferred_language"])
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        locale="es-ES" if language == "es" else "en-GB",
        base_url=live_server.url,
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)

    phone.goto("/accounts/login/")
    phone.get_by_label(words["user"]).fill("paula")
    phone.get_by_label(words["password"]).fill(password)
    phone.get_by_role("button", name=words["sign_in"]).click()
    phone.wait_for_url("**/portal/")
    phone.get_by_role("link", name=words["nav"], exact=True).click()
    expect(phone.get_by_text(words["reply_time"])).to_be_visible()
    expect(phone.get_by_text(words["not_emergency"])).to_be_visible()
    expect(phone.locator("a.call-emergency")).to_have_attribute("href", "tel:112")
    phone.get_by_label(words["field"]).fill(words["question"])
    phone.get_by_role("button", name=words["send"]).click()
    expect(phone.locator(".message--patient")).to_contain_text(words["question"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.locator("html").get_attribute("lang") == language
    assert_accessible(phone)

    login(page, "tess", password)
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages")
    expect(nav_link.locator("[data-unread-clinic]")).to_have_text("1")
    nav_link.click()
    expect(page.get_by_text("1 unread in the clinic")).to_be_visible()
    page.get_by_role("link", name="Paula Jones").click()
    thread = page.locator("#messages")
    expect(thread).to_contain_text(words["question"])
    assert_accessible(page)
    thread.get_by_label("Answer").fill(words["answer"])
    thread.get_by_role("button", name="Send answer").click()
    expect(page.locator("#messages")).to_contain_text(words["answer"])
    expect(page.locator("[data-unread-clinic]")).to_have_count(0)

    phone.reload()
    expect(phone.locator(".message--clinic")).to_contain_text(words["answer"])
    assert list(Message.objects.values_list("author", flat=True)) == ["patient", "clinic"]
    context.close()
