#include "plugins/formats/jsonfields.h"

#include <QJsonDocument>

#include <cmath>

namespace rs {

QString JsonFields::show(const QJsonValue &value)
{
    QString text;
    switch (value.type()) {
    case QJsonValue::String:
        text = QLatin1Char('"') + value.toString() + QLatin1Char('"');
        break;
    case QJsonValue::Double:
        text = QString::number(value.toDouble(), 'g', 17);
        break;
    case QJsonValue::Bool:
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Null:
        text = QStringLiteral("null");
        break;
    case QJsonValue::Array:
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Object:
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Undefined:
        text = QStringLiteral("nothing");
        break;
    }
    constexpr int kMax = 60;
    if (text.size() > kMax)
        text = text.left(kMax - 3) + QStringLiteral("...");
    return text;
}

std::optional<qint64> JsonFields::toInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
        return std::nullopt;
    return qint64(d);
}

Error JsonFields::typeError(const QString &key, const QString &expected) const
{
    return error(QStringLiteral("field '%1' must be %2, not %3").arg(key, expected, show(m_object.value(key))));
}

Expected<QJsonValue> JsonFields::require(const QString &key) const
{
    if (!m_object.contains(key))
        return error(QStringLiteral("field '%1' is missing").arg(key));
    return m_object.value(key);
}

Expected<QString> JsonFields::string(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    if (!value->isString())
        return typeError(key, QStringLiteral("a string"));
    return value->toString();
}

Expected<double> JsonFields::number(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    if (!value->isDouble() || !std::isfinite(value->toDouble()))
        return typeError(key, QStringLiteral("a number"));
    return value->toDouble();
}

Expected<qint64> JsonFields::integer(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    const auto integral = toInteger(*value);
    if (!integral)
        return typeError(key, QStringLiteral("an integer"));
    return *integral;
}

Expected<bool> JsonFields::boolean(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    if (!value->isBool())
        return typeError(key, QStringLiteral("true or false"));
    return value->toBool();
}

Expected<QJsonArray> JsonFields::array(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    if (!value->isArray())
        return typeError(key, QStringLiteral("a list"));
    return value->toArray();
}

Expected<QJsonObject> JsonFields::object(const QString &key) const
{
    auto value = require(key);
    if (!value)
        return Error{value.error()};
    if (!value->isObject())
        return typeError(key, QStringLiteral("an object"));
    return value->toObject();
}

Expected<QString> JsonFields::string(const QString &key, const QString &fallback) const
{
    return has(key) ? string(key) : Expected<QString>(fallback);
}

Expected<double> JsonFields::number(const QString &key, double fallback) const
{
    return has(key) ? number(key) : Expected<double>(fallback);
}

Expected<bool> JsonFields::boolean(const QString &key, bool fallback) const
{
    return has(key) ? boolean(key) : Expected<bool>(fallback);
}

} // namespace rs
