#pragma once

#include "core/expected.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace rs {

// Typed access to the fields of one JSON object of a dataset file. Every error is one line naming
// where the object is ("muse_train.json record 12"), the field and the offending value:
//   muse_train.json record 12: field 'height' must be an integer, not "abc"
class JsonFields
{
public:
    JsonFields(const QJsonObject &object, QString where) : m_object(object), m_where(std::move(where)) {}

    const QJsonObject &object() const { return m_object; }
    const QString &where() const { return m_where; }
    bool has(const QString &key) const { return m_object.contains(key) && !m_object.value(key).isNull(); }

    Expected<QString> string(const QString &key) const;
    Expected<double> number(const QString &key) const;
    // An integral number (JSON has one number type: 3.0 is accepted, 3.5 is not).
    Expected<qint64> integer(const QString &key) const;
    Expected<bool> boolean(const QString &key) const;
    Expected<QJsonArray> array(const QString &key) const;
    Expected<QJsonObject> object(const QString &key) const;

    // The same with a default when the field is absent or null (a present value of a wrong type is
    // still an error).
    Expected<QString> string(const QString &key, const QString &fallback) const;
    Expected<double> number(const QString &key, double fallback) const;
    Expected<bool> boolean(const QString &key, bool fallback) const;

    // An error about this object: "<where>: <message>".
    Error error(const QString &message) const { return Error{m_where + QStringLiteral(": ") + message}; }
    Error typeError(const QString &key, const QString &expected) const;

    // A value as it appears in a message: short JSON text, strings quoted, long ones cut.
    static QString show(const QJsonValue &value);
    // An integral JSON number, else std::nullopt.
    static std::optional<qint64> toInteger(const QJsonValue &value);

private:
    Expected<QJsonValue> require(const QString &key) const;

    QJsonObject m_object;
    QString m_where;
};

} // namespace rs
