"""Writes the Python 2 pickle fixtures of tst_pickle (run once with python 2.7; the outputs are committed).

The refer API's refs(<splitBy>).p files were written by Python 2's cPickle: dicts, lists, str (bytes),
unicode, int, long. These fixtures hold the same kinds of values, plus a UTF-8 and a latin-1 byte
string, a float, None, bools and a tuple, at protocols 0 and 2.

usage: python2.7 make_py2_pickles.py
"""
import cPickle
import json

shared = u'shared text'
refs = [
    {
        'ref_id': 0, 'ann_id': 1709545, 'image_id': 581857, 'category_id': 1,
        'split': 'testA', 'file_name': 'COCO_train2014_000000581857_16.jpg',
        'sent_ids': [0, 1],
        'sentences': [
            {'sent_id': 0, 'sent': 'woman in red', 'raw': 'Woman in red.', 'tokens': ['woman', 'in', 'red']},
            {'sent_id': 1, 'sent': u'caf\xe9 sign \u2192 left', 'raw': shared, 'tokens': [u'caf\xe9']},
        ],
    },
    {
        'ref_id': 1, 'ann_id': 2 ** 40, 'image_id': -7, 'category_id': [1, 3],
        'split': 'train', 'utf8_bytes': 'caf\xc3\xa9', 'latin1_bytes': '\xe9t\xe9',
        'score': 0.25, 'missing': None, 'flags': (True, False), 'again': shared,
        'big_negative': -2 ** 62, 'int32_edge': -2 ** 31, 'escapes': 'tab\there "q" \'s\' back\\slash\n',
    },
]

expected = json.loads(json.dumps(refs, ensure_ascii=False, encoding='latin-1'))
# json decodes every byte string with one encoding; the pickle reader decodes UTF-8 when valid.
expected[1]['utf8_bytes'] = u'caf\xe9'
for protocol in (0, 2):
    with open('py2_refs_protocol%d.p' % protocol, 'wb') as f:
        cPickle.dump(refs, f, protocol)
with open('py2_refs_expected.json', 'wb') as f:
    f.write(json.dumps(expected, ensure_ascii=True, sort_keys=True, indent=1))

# A refs(unc).p as refer's own files hold them, for tst_refcocoformat's instances fixture (ann 101,
# 102, 103 on images 11 and 12): str and unicode text, a UTF-8 byte string, a long ref id.
naive = 'na\xc3\xafve dog'
refcoco = [
    {'ref_id': 0, 'ann_id': 101, 'image_id': 11, 'category_id': 1, 'split': 'train', 'sent_ids': [0],
     'file_name': 'COCO_train2014_000000000011_101.jpg',
     'sentences': [{'sent_id': 0, 'sent': 'man on the left', 'raw': 'Man on the left!', 'tokens': ['man', 'on', 'the', 'left']}]},
    {'ref_id': 7L, 'ann_id': 102, 'image_id': 11, 'category_id': 3, 'split': 'testA', 'sent_ids': [1],
     'file_name': 'COCO_train2014_000000000011_102.jpg',
     'sentences': [{'sent_id': 1, 'sent': u'caf\xe9 sign', 'raw': u'Caf\xe9 sign', 'tokens': [u'caf\xe9', u'sign']}]},
    {'ref_id': 2 ** 40, 'ann_id': 103, 'image_id': 12, 'category_id': 5, 'split': 'testB', 'sent_ids': [2],
     'file_name': 'COCO_train2014_000000000012_103.jpg',
     'sentences': [{'sent_id': 2, 'sent': naive, 'raw': naive, 'tokens': ['na\xc3\xafve', 'dog']}]},
]
with open('py2_refcoco_refs.p', 'wb') as f:
    cPickle.dump(refcoco, f, 2)
