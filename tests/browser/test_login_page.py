from tests.browser.conftest import assert_accessible, login


def test_the_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert_accessible(page)


def test_a_wrong_password_says_so_on_the_page(page, therapist):
    login(page, "tess", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
