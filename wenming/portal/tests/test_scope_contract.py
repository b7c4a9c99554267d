"""The data-scope contract of news stories (staff pages)."""

from wenming.portal.models import Article
from wenming.testing import ScopedModelContract


class TestArticleScope(ScopedModelContract):
    model = Article
    list_url_name = "portal:article-list"
    detail_url_name = "portal:article-detail"

    def make_in(self, city):
        return Article.objects.create(
            organization=city, category="work", title=f"{city.name}召开文明创建推进会", body="会议部署下阶段工作。"
        )

    def label(self, obj):
        return obj.title
